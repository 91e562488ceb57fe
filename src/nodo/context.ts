/**
 * What every nodeForPsp handler shares: the registry (reloadable), the clock, the
 * journal, the session store, the token generator, the resolved options, the station
 * URL resolver and the receipt hook.
 */
import type { Clock } from '../clock.ts';
import type { Journal } from '../soap/index.ts';
import type { Registry, Station } from './registry.ts';
import type { SemanticOptions } from './semantic.ts';
import type { PaymentSession, SessionStore } from './sessions.ts';
import type { StandIn, StandInOptions } from './standIn/index.ts';
import type { TokenGenerator } from './tokens.ts';

/** Per-primitive timeouts towards stations, in ms (docs/primitives.md §12). */
export interface TimeoutOptions {
  paVerifyPaymentNotice: number;
  paGetPayment: number;
  paSendRT: number;
  paDemandPaymentNotice: number;
}

export const DEFAULT_TIMEOUTS: TimeoutOptions = { paVerifyPaymentNotice: 7000, paGetPayment: 7000, paSendRT: 15000, paDemandPaymentNotice: 7000 };

/**
 * The Nodo's own settings, which pagoPA's operators set: the effective values for a
 * request (registry `settings` over createNodo options over the real defaults).
 */
export interface NodoSettings {
  /** Whether idempotencyKey is used (false: every request is new). Default true. */
  useIdempotency: boolean;
  /** Validity of an idempotency key; an activation's never outlives its token. Default 30 min (inferred). */
  idempotencyKeyValidityMs: number;
  /** Token lifetime when the PSP sends no expirationTime. Default and maximum 30 min. */
  tokenValidityMs: number;
  /** Period of the job that frees notices whose token expired (0: at expiry). Default 60 s (inferred). */
  expiryJobPeriodMs: number;
  /** Station timeouts when the station has none of its own. Default 7 s, 7 s, 15 s. */
  stationTimeouts: TimeoutOptions;
}

export const DEFAULT_SETTINGS: NodoSettings = {
  useIdempotency: true,
  idempotencyKeyValidityMs: 1_800_000,
  tokenValidityMs: 1_800_000,
  expiryJobPeriodMs: 60_000,
  stationTimeouts: DEFAULT_TIMEOUTS,
};

/** Switches for behaviour docs/primitives.md marks as inferred or configurable. Defaults documented in README.md. */
export interface NodoOptions {
  /** Token lifetime when the PSP sends no expirationTime (setting tokenValidity; max 1 800 000 ms). */
  defaultExpirationMs: number;
  /** Validity of idempotency keys (setting idempotencyKeyValidity; activation keys also die with their token). */
  idempotencyKeyValidityMs: number;
  /** Whether idempotencyKey is used (setting useIdempotency). */
  useIdempotency: boolean;
  /** Period of the expiry job (setting expiryJobPeriod; 0 frees a notice at token expiry). */
  expiryJobPeriodMs: number;
  /** How long ended sessions are kept before they are retired (a paid notice's mark stays). Harness setting, default 24 h. */
  sessionRetentionMs: number;
  /** At most this many sessions kept besides those holding their notice; the oldest are retired first. Harness setting, default 10,000. */
  sessionRetentionMax: number;
  /** At most this many idempotency keys kept; the oldest is dropped first, as if expired. Harness setting, default 100,000. */
  idempotencyKeysMax: number;
  /** Fallback station timeouts (setting stationTimeouts; a station's own `timeouts` win). */
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
  /** Stand-in switches and thresholds (src/nodo/standIn/README.md). */
  standIn: StandInOptions;
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
  /** The Nodo's settings in force now (the registry's over the options). */
  settings(): NodoSettings;
  sessions: SessionStore;
  tokens: TokenGenerator;
  stationUrl(station: Station): string;
  timeoutFor(station: Station, primitive: keyof TimeoutOptions): number;
  receipts?: ReceiptSink;
  /** Stand-in (src/nodo/standIn): where verify/activate go, what the activation algorithm counts. */
  standIn?: StandIn;
  onBug(message: string): void;
}
