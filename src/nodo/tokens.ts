/**
 * paymentToken generation: 32 lowercase hex characters (a UUID without dashes, as the
 * Nodo's examples show, docs/primitives.md §9). With a seed the sequence is deterministic, so
 * scenario runs and their reports are reproducible. A token is never issued twice by one
 * Nodo, resets included: each reset starts a new epoch of the sequence (the first epoch
 * keeps the historical `seed:n` form), so a token issued before a reset can never come
 * back for another notice and an outcome sent with it can only be PPT_TOKEN_SCONOSCIUTO.
 */
import { createHash, randomUUID } from 'node:crypto';

export interface TokenGenerator {
  next(): string;
  /** Starts a new epoch: the sequence restarts on values that were never issued. */
  reset(): void;
}

export function createTokenGenerator(seed?: string | number): TokenGenerator {
  let n = 0;
  let epoch = 0;
  return {
    next() {
      n += 1;
      if (seed === undefined) return randomUUID().replace(/-/g, '');
      return createHash('sha256')
        .update(epoch === 0 ? `${seed}:${n}` : `${seed}:${epoch}:${n}`)
        .digest('hex')
        .slice(0, 32);
    },
    reset() {
      n = 0;
      epoch += 1;
    },
  };
}
