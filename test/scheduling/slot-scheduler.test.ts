import { describe, expect, test } from 'vitest';
import { Limiter } from '../../src/scheduling/limiter.js';
import { SlotScheduler } from '../../src/scheduling/slot-scheduler.js';

/** A scheduler over `total` checks that records which started; `endReservation` is counted. */
function schedule(total: number, limiter: Limiter, fairShare?: number) {
  const started: number[] = [];
  let reservationEnds = 0;
  const scheduler = new SlotScheduler({
    total,
    limiter,
    ...(fairShare !== undefined ? { fairShare } : {}),
    endReservation: () => reservationEnds++,
    start: (i) => started.push(i),
  });
  return { scheduler, started, reservationEnds: () => reservationEnds };
}

/** Lets queued grants (microtasks) run. */
const grants = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('SlotScheduler', () => {
  test('starts checks in order while the limiter has free slots, and no more', () => {
    const limiter = new Limiter(3);
    const { scheduler, started } = schedule(5, limiter);
    scheduler.startReady();
    expect(started).toEqual([0, 1, 2]);
    expect(limiter.inUse).toBe(3);
    expect(limiter.waiting).toBe(1);
    expect(scheduler.allStarted).toBe(false);
  });

  test('each ended check gives its slot to the next one, until all started; then every slot goes back', async () => {
    const limiter = new Limiter(2);
    const { scheduler, started } = schedule(4, limiter);
    scheduler.startReady();
    scheduler.checkEnded();
    await grants();
    expect(started).toEqual([0, 1, 2]);
    scheduler.checkEnded();
    await grants();
    expect(started).toEqual([0, 1, 2, 3]);
    expect(scheduler.allStarted).toBe(true);
    scheduler.checkEnded();
    scheduler.checkEnded();
    await grants();
    expect(limiter.inUse).toBe(0);
    expect(limiter.waiting).toBe(0);
  });

  test('a fair share caps the slots taken straight from the limiter; the rest come through its queue', async () => {
    const limiter = new Limiter(10);
    const { scheduler, started, reservationEnds } = schedule(5, limiter, 2);
    scheduler.startReady();
    // Two direct takes; the rest wait for the queue, which grants them while slots are free.
    expect(started).toEqual([0, 1]);
    expect(reservationEnds()).toBe(1);
    expect(limiter.waiting + limiter.inUse).toBe(3);
    await grants();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(limiter.inUse).toBe(5);
  });

  test('stop gives back the slots of running checks and granted ones, and starts nothing more', async () => {
    const limiter = new Limiter(2);
    const { scheduler, started } = schedule(4, limiter);
    scheduler.startReady();
    expect(limiter.inUse).toBe(2);
    scheduler.stop();
    await grants();
    // The slot the queue handed over after the stop went straight back.
    expect(started).toEqual([0, 1]);
    expect(limiter.inUse).toBe(0);
    scheduler.checkEnded();
    expect(limiter.inUse).toBe(0);
  });
});
