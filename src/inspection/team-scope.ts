/**
 * What a team's token may see of the inspection stream: its own team actor and checks,
 * its own outcomes of mass checks, and the scans and the mass owner they hang from,
 * stripped of every count and event that sums or names other teams. Filtered here, in
 * the stream itself, so other teams' actors never reach a team's browser.
 */
import type { ActorView, HubMessage, HubSnapshot } from './hub-messages.js';

/** The view `team` may see of `actor`, or undefined when none. */
export function scopeActor(actor: ActorView, team: number): ActorView | undefined {
  switch (actor.kind) {
    case 'check':
      return actor.team === team ? actor : undefined;
    case 'team':
      // Its own team actor whole; the mass checks' owner only as the parent of its mass checks.
      if (actor.team === team) return actor;
      return actor.team === undefined ? withoutOthers(actor) : undefined;
    case 'scan':
      return withoutOthers(actor);
    case 'mass': {
      const { outcomes, ...rest } = withoutOthers(actor);
      return outcomes ? { ...rest, outcomes: outcomes.filter((o) => o.team === team) } : rest;
    }
  }
}

/** A snapshot holding only what `team` may see. */
export function scopeSnapshot(snapshot: HubSnapshot, team: number): HubSnapshot {
  const actors: ActorView[] = [];
  for (const actor of snapshot.actors) {
    const view = scopeActor(actor, team);
    if (view) actors.push(view);
  }
  return { ...snapshot, actors };
}

/**
 * Scopes a stream of messages for one team: actors it may not see are left out, and so
 * are removals of ids it was never shown. One per stream (it remembers what it showed).
 */
export class TeamStreamScope {
  private readonly shown = new Set<string>();

  constructor(private readonly team: number) {}

  /** Marks the actors of a snapshot sent to this stream as shown; returns the scoped snapshot. */
  snapshot(snapshot: HubSnapshot): HubSnapshot {
    const scoped = scopeSnapshot(snapshot, this.team);
    for (const a of scoped.actors) this.shown.add(a.id);
    return scoped;
  }

  /** The message this team may see, or undefined. */
  message(message: HubMessage): HubMessage | undefined {
    if (message.kind === 'tick' || message.kind === 'schedule' || message.kind === 'health') return message;
    if (message.kind === 'removed') return this.shown.delete(message.id) ? message : undefined;
    const actor = scopeActor(message.actor, this.team);
    if (!actor) return undefined;
    this.shown.add(actor.id);
    return { ...message, actor };
  }
}

/** A view without counts and recent events (which sum or name other teams). */
function withoutOthers(actor: ActorView): ActorView {
  const { counts: _counts, ...rest } = actor;
  return { ...rest, events: [] };
}
