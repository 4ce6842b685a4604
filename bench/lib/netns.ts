/**
 * Team hosts in network namespaces, for benchmarks on an emulated network (root only).
 *
 * Each namespace is one "router" holding many team addresses: a veth pair links it to
 * the root namespace (`skb-<pid>-<k>` on both the namespace and the root end), the team
 * addresses sit as /32s on the namespace's end (`eth0`), and the root namespace has one
 * route per namespace to its teams' /24 via that veth. So every request crosses a veth
 * link, and ARP knows one neighbour per namespace however many teams it holds.
 *
 * Addresses come only from the benchmarking range 198.18.0.0/15 (RFC 2544): a run takes
 * one free /20 of it (a "slot": its first /24 for the /30 link networks, then one /24
 * per namespace), so two runs at once do not collide. No namespace has a default route:
 * nothing can leave the machine.
 *
 * Names carry the creating process's id, so leftovers of a killed run are recognisable;
 * `cleanStaleNamespaces()` removes those whose process is gone (and the processes still
 * running inside them). `TeamNetwork.close()` removes everything a run made; it is also
 * run on SIGINT/SIGTERM and, synchronously, at exit.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The prefix of every namespace and root-side link a benchmark makes. */
export const NAMESPACE_PREFIX = 'skb-';

/** Most namespaces in one run: a /20 holds the link /24 and 15 team /24s. */
const MAX_NAMESPACES = 15;
/** Team addresses per namespace: .1 to .254 of its /24. */
const TEAMS_PER_NAMESPACE_MAX = 254;
/** /20 slots in 198.18.0.0/15. */
const SLOTS = 32;
const RANGE_BASE = ipToInt('198.18.0.0');

/** Runs `ip` (or another tool) and returns its stdout; throws with its stderr. */
function run(cmd: string, args: readonly string[], input?: string): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], ...(input !== undefined ? { input } : {}) });
}

/** Like `run`, ignoring failure (cleanup of things that may already be gone). */
function tryRun(cmd: string, args: readonly string[]): void {
  try {
    run(cmd, args);
  } catch {
    // already gone
  }
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/**
 * Why namespaces cannot be made here, or null when they can: root, and `ip` with netns
 * support (checked by listing namespaces).
 */
export function namespacesUnavailable(): string | null {
  if (process.platform !== 'linux') return `network namespaces need Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'network namespaces need root (run as root to include this scenario)';
  try {
    run('ip', ['netns', 'list']);
  } catch (err) {
    return `\`ip netns\` is not usable (${(err as Error).message.split('\n')[0]}); install iproute2`;
  }
  return null;
}

/** Whether `iptables` runs (Debian package `iptables`). */
export function iptablesAvailable(): boolean {
  try {
    run('iptables', ['--version']);
    return true;
  } catch {
    return false;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The creator's pid in a benchmark name (`skb-<pid>-<k>`), or undefined for other names. */
function creatorOf(name: string): number | undefined {
  const m = new RegExp(`^${NAMESPACE_PREFIX}(\\d+)-\\d+$`).exec(name);
  return m ? Number(m[1]) : undefined;
}

/** Benchmark namespaces now present. */
export function listBenchNamespaces(): string[] {
  return run('ip', ['netns', 'list'])
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name.startsWith(NAMESPACE_PREFIX));
}

/** Benchmark links in the root namespace (root ends of veth pairs). */
function listBenchLinks(): string[] {
  return run('ip', ['-o', 'link', 'show'])
    .split('\n')
    .map((line) => /^\d+: ([^:@]+)/.exec(line)?.[1] ?? '')
    .filter((name) => name.startsWith(NAMESPACE_PREFIX));
}

/** Removes one namespace: kills what still runs in it, deletes it and its root link. */
function removeNamespace(name: string): void {
  let pids: string[] = [];
  try {
    pids = run('ip', ['netns', 'pids', name]).split(/\s+/).filter(Boolean);
  } catch {
    // no such namespace
  }
  for (const pid of pids) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // gone already
    }
  }
  tryRun('ip', ['netns', 'del', name]);
  // The namespace lives on (with its veth) while a process is still inside: delete the
  // root end too, which takes the pair and its route with it.
  tryRun('ip', ['link', 'del', name]);
}

/**
 * Removes the namespaces and links of benchmark runs whose process is gone (a run killed
 * with SIGKILL, a crashed machine). Returns the names removed.
 */
export function cleanStaleNamespaces(): string[] {
  const stale = [...new Set([...listBenchNamespaces(), ...listBenchLinks()])].filter((name) => {
    const pid = creatorOf(name);
    return pid !== undefined && pid !== process.pid && !processAlive(pid);
  });
  stale.forEach(removeNamespace);
  return stale;
}

/** A free /20 of 198.18.0.0/15: none of its addresses in a route or address of the root namespace. */
function freeSlot(): number {
  const used = `${run('ip', ['-4', 'route', 'show'])}\n${run('ip', ['-4', '-o', 'addr', 'show'])}`.match(/\b198\.1[89]\.\d+\.\d+/g) ?? [];
  const taken = new Set(used.map((ip) => Math.floor((ipToInt(ip) - RANGE_BASE) / 4096)));
  for (let slot = 0; slot < SLOTS; slot++) if (!taken.has(slot)) return slot;
  throw new Error('no free /20 left in 198.18.0.0/15 (clean leftovers with `ip netns del skb-…`)');
}

/** One namespace of a team network. */
export interface TeamNamespace {
  /** Namespace name, also the name of its veth's root end. */
  readonly name: string;
  /** The root end's address (what a namespaced server sees as its client). */
  readonly rootAddress: string;
  /** Team addresses held by this namespace. */
  readonly teamAddresses: readonly string[];
}

/** Namespaces holding team addresses, and how to remove them. */
export interface TeamNetwork {
  readonly namespaces: readonly TeamNamespace[];
  /** Address of team `n` (1-based). */
  addressOf(team: number): string;
  /** Namespace name of team `n` (1-based). */
  namespaceOf(team: number): string;
  /**
   * Starts a node script inside `namespace` (`ip netns exec`), with `args`. It is killed
   * by `close()`; its stdin is a pipe that closes when this process dies, so a script
   * that exits at the end of its stdin dies with it.
   */
  startNode(namespace: string, script: URL, args: readonly string[]): ChildProcess;
  /** Runs a command inside `namespace` and returns its stdout. */
  exec(namespace: string, cmd: string, args: readonly string[]): string;
  /** Kills the started scripts, deletes the namespaces and links. Idempotent. */
  close(): void;
}

/** How to lay out a team network. */
export interface TeamNetworkOptions {
  readonly teams: number;
  /** Namespaces to spread the teams over (round robin). Default: as few as fit, at least 1. */
  readonly namespaces?: number;
}

/**
 * How node runs a script of this folder tree: compiled `.js` directly, a `.ts` source
 * (under vitest) through tsx.
 */
export function nodeCommandFor(scriptUrl: URL): string[] {
  const path = fileURLToPath(scriptUrl);
  if (path.endsWith('.ts') || !existsSync(path)) return [process.execPath, '--import', 'tsx', path.replace(/\.js$/, '.ts')];
  return [process.execPath, path];
}

/**
 * Creates the namespaces, veth pairs, addresses and routes of `teams` team hosts, after
 * removing stale ones. Throws (having removed what it made) when a step fails.
 */
export function createTeamNetwork(options: TeamNetworkOptions): TeamNetwork {
  const count = options.namespaces ?? Math.max(1, Math.ceil(options.teams / TEAMS_PER_NAMESPACE_MAX));
  const perNamespace = Math.ceil(options.teams / count);
  if (count > MAX_NAMESPACES || perNamespace > TEAMS_PER_NAMESPACE_MAX) {
    throw new Error(`a team network holds at most ${MAX_NAMESPACES} namespaces of ${TEAMS_PER_NAMESPACE_MAX} teams (asked: ${options.teams} teams in ${count})`);
  }
  cleanStaleNamespaces();
  const slotBase = RANGE_BASE + freeSlot() * 4096;
  const names = Array.from({ length: count }, (_, k) => `${NAMESPACE_PREFIX}${process.pid}-${k}`);
  const children = new Set<ChildProcess>();
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    for (const child of children) child.kill('SIGKILL');
    names.forEach(removeNamespace);
    process.off('exit', close);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    close();
    process.kill(process.pid, signal);
  };
  process.on('exit', close);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const teamAddress = (team: number) => {
    const k = (team - 1) % count;
    const host = Math.floor((team - 1) / count) + 1;
    return intToIp(slotBase + (k + 1) * 256 + host);
  };
  const namespaces: TeamNamespace[] = [];
  try {
    for (const [k, name] of names.entries()) {
      const rootAddress = intToIp(slotBase + 4 * k + 1);
      const innerAddress = intToIp(slotBase + 4 * k + 2);
      const teamAddresses: string[] = [];
      for (let team = k + 1; team <= options.teams; team += count) teamAddresses.push(teamAddress(team));
      run('ip', ['netns', 'add', name]);
      run('ip', ['link', 'add', name, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', name]);
      run('ip', ['addr', 'add', `${rootAddress}/30`, 'dev', name]);
      run('ip', ['link', 'set', name, 'up']);
      // One batch per namespace: link up, the /30, every team address.
      const batch = ['link set lo up', 'link set eth0 up', `addr add ${innerAddress}/30 dev eth0`, ...teamAddresses.map((a) => `addr add ${a}/32 dev eth0`)];
      run('ip', ['-n', name, '-batch', '-'], `${batch.join('\n')}\n`);
      run('ip', ['route', 'add', `${intToIp(slotBase + (k + 1) * 256)}/24`, 'via', innerAddress, 'dev', name]);
      namespaces.push({ name, rootAddress, teamAddresses });
    }
  } catch (err) {
    close();
    throw err;
  }

  return {
    namespaces,
    addressOf: teamAddress,
    namespaceOf: (team) => names[(team - 1) % count]!,
    startNode(namespace, script, args) {
      const [node, ...nodeArgs] = nodeCommandFor(script);
      const child = spawn('ip', ['netns', 'exec', namespace, node!, ...nodeArgs, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
      children.add(child);
      child.once('exit', () => children.delete(child));
      return child;
    },
    exec: (namespace, cmd, args) => run('ip', ['netns', 'exec', namespace, cmd, ...args]),
    close,
  };
}
