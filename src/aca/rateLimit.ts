/**
 * APIM's rate limit on ACA: 150 calls per 10 s per `X-Forwarded-For` (docs/aca-standin.md §2.3),
 * counted on the injected clock so a test can cross the limit without waiting.
 */
import type { Clock } from '../clock.ts';

export interface RateLimitOptions {
  calls: number;
  perMs: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { calls: 150, perMs: 10_000 };

export interface RateLimiter {
  /** Counts one call of `who`; returns the seconds to wait when it is over the limit. */
  hit(who: string): { ok: true } | { ok: false; retryAfterSeconds: number };
  reset(): void;
}

export function createRateLimiter(clock: Clock, o: RateLimitOptions | false): RateLimiter {
  const calls = new Map<string, number[]>();
  return {
    hit(who) {
      if (!o) return { ok: true };
      const now = clock.now().getTime();
      const recent = (calls.get(who) ?? []).filter((t) => t > now - o.perMs);
      if (recent.length >= o.calls) {
        calls.set(who, recent);
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((recent[0]! + o.perMs - now) / 1000)) };
      }
      recent.push(now);
      calls.set(who, recent);
      return { ok: true };
    },
    reset: () => calls.clear(),
  };
}
