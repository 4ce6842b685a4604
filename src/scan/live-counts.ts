/**
 * A team's counts as of its last written result, in a box its checks runner updates in
 * place. The team chart learns its counts through transitions, spaced to at most one
 * per progressMs (each is a macrostep, a snapshot and inspection events: see
 * progress-interval.ts); the inspector reads this box instead, once per display frame,
 * so a team's counts follow every ended check even while another of its checks hangs.
 */
import type { TeamCounts } from './team-counts.js';

/** See the module comment. */
export interface LiveCounts {
  current: TeamCounts;
}
