/**
 * What every nodeForPsp handler shares: the registry (reloadable), the clock, the
 * journal, the session store, the token generator, the resolved options, the station
 * URL resolver and the receipt hook.
 */
import type { Clock } from '../clock.ts';
import type { Journal } from '../soap/exchange.ts';
import type { Registry, Station } from './registry.ts';
import type { SemanticOptions } from './semantic.ts';
import type { PaymentSession, SessionStore } from './sessions.ts';
import type { TokenGenerator } from './tokens.ts';

/** Per-primitive timeouts towards stations, in ms (primitives.md §12). */
export interface TimeoutOptions {
  paVerifyPaymentNotice: number;
  paGetPayment: number;
  paSendRT: number;
}

export const DEFAULT_TIMEOUTS: TimeoutOptions = { paVerifyPaymentNotice: 7000, paGetPayment: 7000, paSendRT: 15000 };

/** Switches for behaviour primitives.md marks as inferred or configurable. Defaults documented in README.md. */
export interface NodoOptions {
  /** Token lifetime when the PSP sends no expirationTime (platform default, max 1 800 000 ms). */
  defaultExpirationMs: number;
  /** Validity of sendPaymentOutcome idempotency keys (activation keys live as long as their token). */
  outcomeIdempotencyMs: number;
  /** Fallback station timeouts (a station's own `timeouts` win). */
  timeouts: TimeoutOptions;
  /** Seed of the paymentToken generator (deterministic tokens); undefined = random. */
  seed?: string | number;
  /** stationCode → URL overrides (run --station id=url). */
  stationUrls: Record<string, string>;
  /** activatePaymentNotice (V1) on data with several beneficiary ECs → PPT_MULTI_BENEFICIARIO (#198). Default true. */
  rejectV1MultiBeneficiary: boolean;
  /** An OK outcome after token expiry, with no concurrent payment: answer PPT_TOKEN_SCADUTO and still complete the payment (receipt sent). Default true (inferred). */
  lateOkCompletesPayment: boolean;
  /** sendPaymentOutcome OK without details → PPT_SEMANTICA (the receipt needs them). Default true (inferred). */
  requireDetailsOnOk: boolean;
  semantic: SemanticOptions;
}

/** The receipt component's entry point (src/nodo/receipts). */
export interface ReceiptSink {
  deliver(payment: PaymentSession): unknown;
}

export interface NodoContext {
  journal: Journal;
  clock: Clock;
  registry(): Registry;
  options: NodoOptions;
  sessions: SessionStore;
  tokens: TokenGenerator;
  stationUrl(station: Station): string;
  timeoutFor(station: Station, primitive: keyof TimeoutOptions): number;
  receipts?: ReceiptSink;
  onBug(message: string): void;
}
