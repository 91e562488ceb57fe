/**
 * paymentToken generation: 32 lowercase hex characters (a UUID without dashes, as the
 * Nodo's examples show, primitives.md §9). With a seed the sequence is deterministic, so
 * scenario runs and their reports are reproducible.
 */
import { createHash, randomUUID } from 'node:crypto';

export interface TokenGenerator {
  next(): string;
  reset(): void;
}

export function createTokenGenerator(seed?: string | number): TokenGenerator {
  let n = 0;
  return {
    next() {
      n += 1;
      if (seed === undefined) return randomUUID().replace(/-/g, '');
      return createHash('sha256').update(`${seed}:${n}`).digest('hex').slice(0, 32);
    },
    reset() {
      n = 0;
    },
  };
}
