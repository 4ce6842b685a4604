/**
 * Requests per second per key (a client address, a token), as token buckets: each key
 * may burst up to `burst` requests and then gets `perSecond`. Keys are forgotten once
 * their bucket is full again, and at most `maxKeys` are kept (the oldest go first), so a
 * flood of addresses cannot grow it without bound.
 */

/** Options of a rate limiter. */
export interface RateLimit {
  readonly perSecond: number;
  readonly burst: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Token buckets per key (see above). */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 10_000,
  ) {}

  /** Takes one request's token for `key`: false when the key is over its rate. */
  take(key: string): boolean {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (bucket) {
      bucket.tokens = this.level(bucket, now);
      bucket.at = now;
    } else {
      if (this.buckets.size >= this.maxKeys) this.forgetIdle(now);
      bucket = { tokens: this.limit.burst, at: now };
      this.buckets.set(key, bucket);
    }
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Whether `key` has a token left, without taking it. */
  allows(key: string): boolean {
    const bucket = this.buckets.get(key);
    return !bucket || this.level(bucket, this.now()) >= 1;
  }

  /** Seconds until `key` may send again (for Retry-After), at least 1. */
  retryAfter(key: string): number {
    const bucket = this.buckets.get(key);
    if (!bucket) return 1;
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.limit.perSecond));
  }

  /** The tokens a bucket holds at `now`: refilled at the rate, up to the burst. */
  private level(bucket: Bucket, now: number): number {
    return Math.min(this.limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.limit.perSecond);
  }

  private forgetIdle(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (this.level(bucket, now) >= this.limit.burst) this.buckets.delete(key);
    }
    // Still full: drop the oldest keys (a Map iterates in insertion order).
    for (const key of this.buckets.keys()) {
      if (this.buckets.size < this.maxKeys) break;
      this.buckets.delete(key);
    }
  }
}
