/**
 * What the live progress line of `run` and `serve` says about the round in flight,
 * worked out from the scan's events (`scan.started`, `check.started`, `check.result`):
 *
 *   round 12: 14/20 checks, 11 up, 3 down, 1 timed out · slowest team-3/ssh 8.2 s
 *
 * Up and down are counted as the round's summary counts them (an interrupted check is
 * neither). The slowest check running is the one started first among those without a
 * result yet: started events arrive in time order, so it is the first one kept.
 */
import type { EngineEvent } from '../events.js';

/** A check started and not yet ended. */
interface RunningCheck {
  readonly team: number;
  readonly service: string;
  readonly startedAt: number;
}

/** The counts of one round so far (see the module comment). */
export class RoundProgress {
  round: number | undefined;
  total: number | undefined;
  done = 0;
  up = 0;
  down = 0;
  timedOut = 0;
  /** Running checks by check id, oldest first (insertion order). */
  private readonly running = new Map<string, RunningCheck>();

  /** Takes one event of the scan. */
  onEvent(event: EngineEvent): void {
    switch (event.type) {
      case 'scan.started':
        this.round = event.round;
        this.total = event.checks;
        break;
      case 'check.started':
        this.running.set(event.checkId, { team: event.team, service: event.service, startedAt: event.at });
        break;
      case 'check.result': {
        const { result } = event;
        this.running.delete(result.checkId);
        this.done++;
        if (result.status !== 'interrupted') {
          if (result.error === null) this.up++;
          else this.down++;
        }
        if (result.timedOut) this.timedOut++;
        break;
      }
      default:
        break;
    }
  }

  /** The check running longest, with its time so far, or undefined when none runs. */
  slowest(now: number): { readonly name: string; readonly elapsedMs: number } | undefined {
    for (const check of this.running.values()) return { name: `team-${check.team}/${check.service}`, elapsedMs: Math.max(0, now - check.startedAt) };
    return undefined;
  }

  /** The progress line's text at `now`. */
  text(now: number): string {
    if (this.total === undefined) return 'preparing the round';
    const slowest = this.slowest(now);
    const running = slowest ? ` · slowest ${slowest.name} ${(slowest.elapsedMs / 1000).toFixed(1)} s` : '';
    return `round ${this.round}: ${this.done}/${this.total} checks, ${this.up} up, ${this.down} down, ${this.timedOut} timed out${running}`;
  }
}
