/**
 * Logs a refusal once per kind and client per window, not once per request: a flood of
 * refused requests must not become a flood of log lines.
 */
import type { Logger } from 'pino';

/** Logs each (kind, client) at most once per `windowMs`. */
export class NoticeOnce {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly logger: Logger | undefined,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Logs `message` for `kind` and `client` unless it was logged within the window. */
  warn(kind: string, client: string, message: string): void {
    if (!this.logger) return;
    const key = `${kind} ${client}`;
    const now = this.now();
    const at = this.last.get(key);
    if (at !== undefined && now - at < this.windowMs) return;
    if (this.last.size > 10_000) this.last.clear();
    this.last.set(key, now);
    this.logger.warn({ web: kind, client }, message);
  }
}
