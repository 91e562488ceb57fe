/**
 * Payment sessions (one per paymentToken), notice locks, paid notices and idempotency
 * keys (docs/primitives.md §3, §9), indexed so that no request walks what was kept before it:
 * sessions by token and, per notice, the session holding it, the payment that paid it and
 * the activation in flight; idempotency keys by key and by token.
 *
 * The notice lock (PPT_PAGAMENTO_IN_CORSO) is held
 * - from the moment an activation passes its checks until its station call ends (an
 *   activation in flight; `beginActivation`, taken in the same tick as the checks, so two
 *   concurrent activations can never both pass), then
 * - by the PAYING session it created, until an outcome closes it or its token has expired
 *   AND the Nodo's periodic expiry job has run since (ticks every `expiryJobPeriodMs` of
 *   the clock, epoch-aligned; 0 = the notice is freed the moment the token expires).
 *
 * Time comes from the injected clock and everything is evaluated when asked, so advancing
 * a ManualClock expires tokens, keys and job runs. Ended sessions and expired keys are
 * retired on the clock (`retentionMs` after they end; the paid mark of a notice stays), and on
 * count: past `retainedMax` sessions kept, the oldest that no longer hold their notice are
 * retired at once (as if their retention had passed), and past `keysMax` keys the oldest key
 * is dropped (as if it had expired). So memory is bounded by the lesser of the traffic of the
 * retention window and the caps, not by every payment ever made (14,600 payments kept 92 MB
 * of sessions and keys for a day before the caps). Sessions holding a notice and activations
 * in flight are never retired early: the caps change no verdict on a payment in progress.
 * A reset starts a new generation: an activation in flight across a reset creates nothing.
 */
import { hash } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { BuildObject } from '../xml/index.ts';
import type { XmlObject } from '../xml/index.ts';
import { DueQueue } from './dueQueue.ts';
import type { Association, PrimitiveVersion } from './registry.ts';

export type SessionState = 'PAYING' | 'PAID' | 'KO';

export interface PaymentOutcome {
  outcome: 'OK' | 'KO';
  /** ISO time the outcome was received (paymentDateTime of the receipt). */
  at: string;
  primitive: 'sendPaymentOutcome' | 'sendPaymentOutcomeV2';
  /** The request's `details` (paymentMethod, paymentChannel, fee, primaryCiIncurredFee, idBundle, idCiBundle, payer, applicationDate, transferDate, marcheDaBollo). */
  details?: XmlObject;
  /** true when the outcome arrived after the token expired and was accepted anyway. */
  late: boolean;
}

export interface PaymentSession {
  paymentToken: string;
  /** Primary EC (qrCode.fiscalCode) and notice. */
  fiscalCode: string;
  noticeNumber: string;
  creditorReferenceId: string;
  state: SessionState;
  activatedAt: string;
  expiresAt: string;
  /** PSP side. */
  psp: {
    idPSP: string;
    idBrokerPSP: string;
    idChannel: string;
    businessName: string;
    fiscalCode?: string;
    vatNumber?: string;
    channelDescription?: string;
    /** activatePaymentNotice or activatePaymentNoticeV2. */
    activatePrimitive: 'activatePaymentNotice' | 'activatePaymentNoticeV2';
  };
  /** The activate request's amount, dueDate, paymentNote, paymentMethod, touchPoint. */
  activateRequest: XmlObject;
  /** EC side, as configured at payment time. */
  ec: {
    idPA: string;
    idBrokerPA: string;
    idStation: string;
    association: Association;
    stationPrimitiveVersion: PrimitiveVersion;
    /** paGetPayment or paGetPaymentV2. */
    getPaymentPrimitive: 'paGetPayment' | 'paGetPaymentV2';
  };
  /** The station's paGetPayment[V2]Response `data` as received (transfers, metadata, debtor...). */
  data: XmlObject;
  outcome?: PaymentOutcome;
}

/** What stays of a paid notice after its session is retired: PPT_PAGAMENTO_DUPLICATO for good. */
export interface PaidNotice {
  fiscalCode: string;
  noticeNumber: string;
  paymentToken: string;
  paidAt: string;
  idStation: string;
}

export interface IdempotencyEntry {
  fingerprint: string;
  response: BuildObject;
  meta: Record<string, string | number | boolean | undefined>;
  expiresAt: number;
  /** Activation keys die when an outcome for their token arrives. */
  paymentToken?: string;
}

export type IdempotencyFamily = 'activate' | 'outcome';

/** An activation between its checks and the end of its station call: it holds the notice. */
export interface ActivationLock {
  readonly fiscalCode: string;
  readonly noticeNumber: string;
  readonly idPSP: string;
  readonly since: string;
  /** Still the holder of the notice in the current generation (no reset since, not released). */
  current(): boolean;
  release(): void;
}

/** A request with an idempotency key whose answer is not known yet. */
export interface InflightRequest<T> {
  fingerprint: string;
  answer: Promise<T>;
  /** Identical requests waiting for this one's answer. */
  waiters: number;
}

export interface SessionTimes {
  /** Period of the Nodo's expiry job; 0 frees a notice the moment its token expires. */
  expiryJobPeriodMs: number;
  /** How long ended sessions are kept (then only a paid notice's mark stays). */
  retentionMs: number;
  /** At most this many sessions kept beyond those holding their notice: the oldest others are retired first. */
  retainedMax?: number;
  /** At most this many idempotency keys kept: the oldest is dropped first (as if expired). */
  keysMax?: number;
}

/** Default caps on what the Nodo keeps (README "Retirement"): about 40 MB of sessions, 60 MB of keys. */
export const DEFAULT_RETAINED_MAX = 10_000;
export const DEFAULT_KEYS_MAX = 100_000;

type Due = { kind: 'session'; token: string } | { kind: 'key'; id: string };

const noticeKey = (fiscalCode: string, noticeNumber: string) => `${fiscalCode}|${noticeNumber}`;
const keyId = (family: IdempotencyFamily, idPSP: string, key: string) => `${family}|${idPSP}|${key}`;

export class SessionStore {
  private readonly byToken = new Map<string, PaymentSession>();
  /** notice → the PAYING session that last took it (checked for expiry when read). */
  private readonly holding = new Map<string, PaymentSession>();
  private readonly paidBy = new Map<string, PaidNotice>();
  private readonly activating = new Map<string, ActivationLock>();
  private readonly keys = new Map<string, IdempotencyEntry>();
  private readonly keysOfToken = new Map<string, Set<string>>();
  private readonly inflight = new Map<string, InflightRequest<unknown>>();
  private due = new DueQueue<Due>();
  /** Tokens in the order their sessions were added, for retiring the oldest past `retainedMax` (from `head`). */
  private order: string[] = [];
  private head = 0;
  private gen = 0;

  constructor(
    private readonly clock: Clock,
    private readonly times: () => SessionTimes = () => ({ expiryJobPeriodMs: 0, retentionMs: 86_400_000 }),
  ) {}

  private now(): number {
    return this.clock.now().getTime();
  }

  /** Bumped by every reset. */
  generation(): number {
    return this.gen;
  }

  isExpired(s: PaymentSession): boolean {
    return this.now() >= Date.parse(s.expiresAt);
  }

  /** When the expiry job frees the notice of a PAYING session: its first run at or after the token's expiry. */
  freedAt(s: PaymentSession): number {
    const expires = Date.parse(s.expiresAt);
    const period = this.times().expiryJobPeriodMs;
    return period > 0 ? Math.ceil(expires / period) * period : expires;
  }

  /** Whether a session holds its notice now (PAYING, and not yet freed by the expiry job). */
  holds(s: PaymentSession): boolean {
    return s.state === 'PAYING' && this.now() < this.freedAt(s);
  }

  get(token: string): PaymentSession | undefined {
    this.sweep();
    return this.byToken.get(token);
  }

  /** Every session kept (the retention window), oldest first. */
  list(): PaymentSession[] {
    this.sweep();
    return [...this.byToken.values()];
  }

  /** Notices paid on pagoPA (kept after their sessions are retired). */
  paidNotices(): PaidNotice[] {
    return [...this.paidBy.values()];
  }

  /** The session holding the notice: PAYING, its token alive or expired but not yet freed by the expiry job. */
  live(fiscalCode: string, noticeNumber: string): PaymentSession | undefined {
    this.sweep();
    const k = noticeKey(fiscalCode, noticeNumber);
    const s = this.holding.get(k);
    if (!s) return undefined;
    if (this.holds(s)) return s;
    this.holding.delete(k);
    return undefined;
  }

  /** The payment that paid the notice, if any. */
  paid(fiscalCode: string, noticeNumber: string): PaidNotice | undefined {
    return this.paidBy.get(noticeKey(fiscalCode, noticeNumber));
  }

  /** The activation of the notice in flight (between its checks and the end of its station call), if any. */
  activation(fiscalCode: string, noticeNumber: string): ActivationLock | undefined {
    return this.activating.get(noticeKey(fiscalCode, noticeNumber));
  }

  /** Whether a payment is in progress on the notice (an activation in flight or a session holding it). */
  inProgress(fiscalCode: string, noticeNumber: string): boolean {
    return this.activation(fiscalCode, noticeNumber) !== undefined || this.live(fiscalCode, noticeNumber) !== undefined;
  }

  /**
   * Takes the notice for an activation. The caller has checked, in the same tick, that
   * it is neither paid, nor held, nor being activated (so two concurrent activations
   * cannot both get here); a second lock on a locked notice is our bug.
   */
  beginActivation(fiscalCode: string, noticeNumber: string, idPSP: string): ActivationLock {
    const k = noticeKey(fiscalCode, noticeNumber);
    if (this.activating.has(k)) throw new Error(`notice ${k} is already being activated: the caller skipped the lock check`);
    const gen = this.gen;
    const lock: ActivationLock = {
      fiscalCode,
      noticeNumber,
      idPSP,
      since: this.clock.now().toISOString(),
      current: () => gen === this.gen && this.activating.get(k) === lock,
      release: () => {
        if (this.activating.get(k) === lock) this.activating.delete(k);
      },
    };
    this.activating.set(k, lock);
    return lock;
  }

  /**
   * Stores the session an activation created and hands the notice from the activation to
   * it. Refused (false) when the lock is no longer current (a reset happened meanwhile) or
   * the token is already known.
   */
  add(s: PaymentSession, lock: ActivationLock): boolean {
    if (!lock.current() || this.byToken.has(s.paymentToken)) return false;
    this.byToken.set(s.paymentToken, s);
    this.holding.set(noticeKey(s.fiscalCode, s.noticeNumber), s);
    lock.release();
    this.due.push(this.freedAt(s) + this.times().retentionMs, { kind: 'session', token: s.paymentToken });
    this.order.push(s.paymentToken);
    this.retireOverCap();
    return true;
  }

  /**
   * Retires the oldest sessions while more than `retainedMax` are kept besides those holding
   * their notice (`holding` may still count a few freed ones: then a few more are kept), skipping (and
   * requeueing) those that still hold their notice; at most 256 tokens looked at per call,
   * so many sessions paying at once cost no call a walk over all of them.
   */
  private retireOverCap(): void {
    const max = this.times().retainedMax ?? DEFAULT_RETAINED_MAX;
    let budget = Math.min(this.order.length - this.head, 256);
    while (this.byToken.size - this.holding.size > max && budget-- > 0) {
      const token = this.order[this.head++]!;
      const s = this.byToken.get(token);
      if (!s) continue;
      if (this.holds(s)) this.order.push(token);
      else this.retire(token, s);
    }
    // The queue also holds tokens already consumed or retired on the clock: drop them now and then.
    if ((this.head > 1024 && this.head * 2 > this.order.length) || this.order.length - this.head > 2 * this.byToken.size + 1024) {
      this.order = this.order.slice(this.head).filter((t) => this.byToken.has(t));
      this.head = 0;
    }
    this.compactDue();
  }

  /** The due queue keeps entries of sessions and keys retired on count: rebuilt when they are most of it. */
  private compactDue(): void {
    if (this.due.size <= 2 * (this.byToken.size + this.keys.size) + 1024) return;
    this.due = this.due.filter((d) => (d.kind === 'key' ? this.keys.has(d.id) : this.byToken.has(d.token)));
  }

  private retire(token: string, s: PaymentSession): void {
    this.byToken.delete(token);
    const k = noticeKey(s.fiscalCode, s.noticeNumber);
    if (this.holding.get(k) === s) this.holding.delete(k);
    this.keysOfToken.delete(token);
  }

  /**
   * Closes a session with its outcome: an OK marks the notice paid for good, a KO frees
   * it; the activation keys of its token die. Refused (false, nothing changed) when the
   * session is already closed or another payment already paid the notice.
   */
  close(s: PaymentSession, outcome: PaymentOutcome): boolean {
    const k = noticeKey(s.fiscalCode, s.noticeNumber);
    if (s.outcome || this.byToken.get(s.paymentToken) !== s) return false;
    const paid = this.paidBy.get(k);
    if (outcome.outcome === 'OK' && paid && paid.paymentToken !== s.paymentToken) return false;
    s.outcome = outcome;
    s.state = outcome.outcome === 'OK' ? 'PAID' : 'KO';
    if (this.holding.get(k) === s) this.holding.delete(k);
    if (s.state === 'PAID')
      this.paidBy.set(k, {
        fiscalCode: s.fiscalCode,
        noticeNumber: s.noticeNumber,
        paymentToken: s.paymentToken,
        paidAt: outcome.at,
        idStation: s.ec.idStation,
      });
    this.forgetActivationKeys(s.paymentToken);
    this.retireOverCap();
    return true;
  }

  idempotent(family: IdempotencyFamily, idPSP: string, key: string): IdempotencyEntry | undefined {
    this.sweep();
    const id = keyId(family, idPSP, key);
    const e = this.keys.get(id);
    if (!e) return undefined;
    if (this.now() >= e.expiresAt) {
      this.dropKey(id);
      return undefined;
    }
    return e;
  }

  remember(family: IdempotencyFamily, idPSP: string, key: string, entry: IdempotencyEntry): void {
    const id = keyId(family, idPSP, key);
    this.dropKey(id);
    this.keys.set(id, entry);
    if (entry.paymentToken !== undefined) {
      let set = this.keysOfToken.get(entry.paymentToken);
      if (!set) {
        set = new Set();
        this.keysOfToken.set(entry.paymentToken, set);
      }
      set.add(id);
    }
    this.due.push(entry.expiresAt, { kind: 'key', id });
    const max = this.times().keysMax ?? DEFAULT_KEYS_MAX;
    // Map order is insertion order and a key is re-inserted when remembered again: the first is the oldest.
    while (this.keys.size > max) this.dropKey(this.keys.keys().next().value!);
    this.compactDue();
  }

  /** An outcome arrived for the token: its activation keys may be reused as new requests. */
  forgetActivationKeys(token: string): void {
    const ids = this.keysOfToken.get(token);
    if (!ids) return;
    for (const id of ids) if (id.startsWith('activate|')) this.keys.delete(id);
    this.keysOfToken.delete(token);
  }

  /** The request with this key still in flight, if any (its answer is shared with identical retries). */
  inflightRequest<T>(family: IdempotencyFamily, idPSP: string, key: string): InflightRequest<T> | undefined {
    return this.inflight.get(keyId(family, idPSP, key)) as InflightRequest<T> | undefined;
  }

  /** Registers a request with a key until its answer is known. */
  trackInflight<T>(family: IdempotencyFamily, idPSP: string, key: string, fingerprint: string, answer: Promise<T>): void {
    const id = keyId(family, idPSP, key);
    const entry: InflightRequest<T> = { fingerprint, answer, waiters: 0 };
    this.inflight.set(id, entry);
    const done = () => {
      if (this.inflight.get(id) === entry) this.inflight.delete(id);
    };
    answer.then(done, done);
  }

  /** Waits for the answer of the identical request in flight (counted in sizes().inflightWaiters meanwhile). */
  async joinInflight<T>(r: InflightRequest<T>): Promise<T> {
    r.waiters += 1;
    try {
      return await r.answer;
    } finally {
      r.waiters -= 1;
    }
  }

  /** Drops everything; activations in flight (older generation) will create nothing. */
  reset(): void {
    this.gen += 1;
    this.byToken.clear();
    this.holding.clear();
    this.paidBy.clear();
    this.activating.clear();
    this.keys.clear();
    this.keysOfToken.clear();
    this.inflight.clear();
    this.due.clear();
    this.order = [];
    this.head = 0;
  }

  /** How many entries each index keeps (bounded-memory checks and the control API). */
  sizes(): Record<string, number> {
    let waiters = 0;
    for (const r of this.inflight.values()) waiters += r.waiters;
    return {
      sessions: this.byToken.size,
      holding: this.holding.size,
      paid: this.paidBy.size,
      activating: this.activating.size,
      keys: this.keys.size,
      keysOfToken: this.keysOfToken.size,
      inflight: this.inflight.size,
      inflightWaiters: waiters,
      due: this.due.size,
    };
  }

  /** Retires what is due at the clock's time: ended sessions past the retention, expired keys. */
  sweep(): void {
    const now = this.now();
    for (let d = this.due.popDue(now); d; d = this.due.popDue(now)) {
      if (d.kind === 'key') {
        const e = this.keys.get(d.id);
        if (e && now >= e.expiresAt) this.dropKey(d.id);
        continue;
      }
      const s = this.byToken.get(d.token);
      if (!s) continue;
      const ended = s.outcome ? Date.parse(s.outcome.at) : this.freedAt(s);
      const retireAt = ended + this.times().retentionMs;
      if (now < retireAt) {
        this.due.push(retireAt, d);
        continue;
      }
      this.retire(d.token, s);
    }
  }

  private dropKey(id: string): void {
    const e = this.keys.get(id);
    if (!e) return;
    this.keys.delete(id);
    if (e.paymentToken !== undefined) {
      const set = this.keysOfToken.get(e.paymentToken);
      set?.delete(id);
      if (set?.size === 0) this.keysOfToken.delete(e.paymentToken);
    }
  }
}

/**
 * Stable fingerprint of a request's parameters (everything but the idempotency key): the
 * SHA-256 of their JSON, so a key kept for its validity holds 44 characters instead of the
 * whole request (an outcome with its details is about 600).
 */
export function fingerprint(operation: string, value: XmlObject): string {
  const { idempotencyKey: _k, ...rest } = value;
  // One-shot crypto.hash: no Hash object per request (half the time of createHash for these sizes).
  return hash('sha256', JSON.stringify([operation, rest]), 'base64');
}
