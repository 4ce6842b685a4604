/** How the audit log names a command run at this machine: `cli:<user>`. */
import { userInfo } from 'node:os';

/** `cli:<the OS user running the command>` (`cli` when it cannot be known). */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}
