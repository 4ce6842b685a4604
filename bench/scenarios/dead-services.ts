/**
 * Scenario 7: rounds that fit their interval when services are dead. N teams × 20 http
 * services, a share of them black-holed (accepted, never answered), timeout T, at the
 * engine's DEFAULT settings (concurrency `auto`, no check threads), PostgreSQL. Run
 *   - `cli`: `scorekeeper scan --json` end to end, as an organiser runs it (its start-up,
 *     measured apart as the wall time of `scorekeeper checks`, is reported too);
 *   - `library`: the same competition file through loadCompetitionFile + createEngine in
 *     this process, from loading the file to the summary.
 * Both count the healthy checks scored down (the scanner blaming a team for its own
 * overload) and report the engine thread's event-loop lag.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerBuiltinChecks } from '../../src/checks/index.js';
import { loadCompetitionFile } from '../../src/config/load-competition-file.js';
import { createEngine } from '../../src/engine.js';
import { defaultRegistry } from '../../src/registry.js';
import { PostgresStore } from '../../src/store/postgres-store.js';
import type { CheckResult, ScanSummary } from '../../src/types.js';
import { teamAddress } from '../lib/team-servers.js';

/** Parameters of a dead-services run. */
export interface DeadServicesParams {
  readonly teams: number;
  /** Services of the 20 that are black-holed. */
  readonly dead: number;
  readonly timeoutMs: number;
  readonly mode: 'cli' | 'library';
}

/** What a dead-services run measured. */
export interface DeadServicesResult {
  readonly mode: 'cli' | 'library';
  /** The round: the CLI process end to end, or the library from loading the file to the summary. */
  readonly wallMs: number;
  /** The CLI's start-up (wall time of `scorekeeper checks`); 0 for the library. */
  readonly startupMs: number;
  readonly checks: number;
  readonly healthyDown: number;
  readonly engineTimedOut: number;
  readonly rerun: number;
  readonly overloaded: number;
  readonly lagP50Ms: number;
  readonly lagP99Ms: number;
  readonly lagMaxMs: number;
}

const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
const CLI = join(import.meta.dirname, '../../src/cli/main.js');
const SERVICES = 20;

/** Runs one round (see above). */
export async function runDeadServices(params: DeadServicesParams): Promise<DeadServicesResult> {
  const servers = spawn(process.execPath, [join(import.meta.dirname, '../lib/dead-service-servers.js'), String(params.teams)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const dir = mkdtempSync(join(tmpdir(), 'sk-dead-'));
  try {
    const [livePort, deadPort] = await new Promise<[number, number]>((resolve, reject) => {
      servers.once('error', reject);
      servers.once('exit', (code) => reject(new Error(`team servers exited with ${code}`)));
      servers.stdout.once('data', (d: Buffer) => {
        const [, a, b] = d.toString().trim().split(' ');
        resolve([Number(a), Number(b)]);
      });
    });
    const file = join(dir, 'competition.yaml');
    writeFileSync(file, competitionYaml(params, livePort, deadPort));
    return params.mode === 'cli' ? await viaCli(file, params) : await viaLibrary(file, params);
  } finally {
    servers.stdin.end();
    servers.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A fresh competition (its own name: rounds start at 1) of teams × 20 http services. */
function competitionYaml(params: DeadServicesParams, livePort: number, deadPort: number): string {
  const lines = [`name: bench-dead-${process.pid}-${Date.now()}`, 'scan:', `  timeout: ${params.timeoutMs / 1000}`, 'teams:'];
  for (let n = 1; n <= params.teams; n++) lines.push(`  - { number: ${n}, vars: { ip: "${teamAddress(n)}" } }`);
  lines.push('services:');
  for (let i = 0; i < SERVICES; i++) lines.push(`  - { name: s${i}, type: http, host: "{ip}", port: ${i < params.dead ? deadPort : livePort}, params: { path: /p${i} } }`);
  return `${lines.join('\n')}\n`;
}

function runNode(args: readonly string[]): Promise<{ wallMs: number; stdout: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, DATABASE_URL }, maxBuffer: 64 << 20, timeout: 300_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`scorekeeper ${args.join(' ')}: ${stderr || err.message}`));
      else resolve({ wallMs: performance.now() - started, stdout });
    });
  });
}

async function viaCli(file: string, params: DeadServicesParams): Promise<DeadServicesResult> {
  const startup = await runNode(['checks']);
  const scan = await runNode(['scan', '--config', file, '--json']);
  const doc = JSON.parse(scan.stdout) as { scan: ScanSummary; results: Pick<CheckResult, 'service' | 'score' | 'error'>[] };
  return measured('cli', scan.wallMs, startup.wallMs, doc.scan, doc.results, params);
}

async function viaLibrary(file: string, params: DeadServicesParams): Promise<DeadServicesResult> {
  registerBuiltinChecks(defaultRegistry);
  const started = performance.now();
  const loaded = await loadCompetitionFile(file, { registry: defaultRegistry });
  const store = PostgresStore.connect({ connection: DATABASE_URL });
  const engine = createEngine({ store, concurrency: loaded.settings.concurrency });
  const results: CheckResult[] = [];
  try {
    const handle = engine.scan(loaded.competition, { roundMs: loaded.settings.intervalMs });
    handle.results$.subscribe((r) => results.push(r));
    const summary = await handle.summary;
    return measured('library', performance.now() - started, 0, summary, results, params);
  } finally {
    await engine.close();
  }
}

function measured(mode: 'cli' | 'library', wallMs: number, startupMs: number, s: ScanSummary, results: readonly Pick<CheckResult, 'service' | 'score' | 'error'>[], params: DeadServicesParams): DeadServicesResult {
  const dead = new Set(Array.from({ length: params.dead }, (_, i) => `s${i}`));
  return {
    mode,
    wallMs,
    startupMs,
    checks: s.checks,
    healthyDown: results.filter((r) => !dead.has(r.service) && r.score === 0).length,
    engineTimedOut: s.timedOut,
    rerun: s.rerun,
    overloaded: s.overloaded,
    lagP50Ms: s.loopLag.p50Ms,
    lagP99Ms: s.loopLag.p99Ms,
    lagMaxMs: s.loopLag.maxMs,
  };
}
