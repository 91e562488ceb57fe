/**
 * Payment sessions (one per paymentToken), notice locks, paid notices and idempotency
 * keys (primitives.md §3, §9). Time comes from the injected clock; expiry is evaluated
 * when asked, so advancing a ManualClock is enough to expire tokens and keys.
 * A session keeps everything the receipt (src/nodo/receipts) needs.
 */
import type { Clock } from '../clock.ts';
import type { BuildObject } from '../xml/build.ts';
import type { XmlObject } from '../xml/read.ts';
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

interface IdempotencyEntry {
  fingerprint: string;
  response: BuildObject;
  meta: Record<string, string | number | boolean | undefined>;
  expiresAt: number;
  /** Activation keys die when an outcome for their token arrives. */
  paymentToken?: string;
}

export type IdempotencyFamily = 'activate' | 'outcome';

const noticeKey = (fiscalCode: string, noticeNumber: string) => `${fiscalCode}|${noticeNumber}`;

export class SessionStore {
  private readonly sessions = new Map<string, PaymentSession>();
  private readonly idempotency = new Map<string, IdempotencyEntry>();
  constructor(private readonly clock: Clock) {}

  isExpired(s: PaymentSession): boolean {
    return this.clock.now().getTime() >= Date.parse(s.expiresAt);
  }

  get(token: string): PaymentSession | undefined {
    return this.sessions.get(token);
  }

  add(s: PaymentSession): void {
    this.sessions.set(s.paymentToken, s);
  }

  list(): PaymentSession[] {
    return [...this.sessions.values()];
  }

  private forNotice(fiscalCode: string, noticeNumber: string): PaymentSession[] {
    const k = noticeKey(fiscalCode, noticeNumber);
    return this.list().filter((s) => noticeKey(s.fiscalCode, s.noticeNumber) === k);
  }

  /** The session holding the notice: PAYING with a live token. */
  live(fiscalCode: string, noticeNumber: string): PaymentSession | undefined {
    return this.forNotice(fiscalCode, noticeNumber).find((s) => s.state === 'PAYING' && !this.isExpired(s));
  }

  /** The session that paid the notice, if any. */
  paid(fiscalCode: string, noticeNumber: string): PaymentSession | undefined {
    return this.forNotice(fiscalCode, noticeNumber).find((s) => s.state === 'PAID');
  }

  idempotent(family: IdempotencyFamily, idPSP: string, key: string): IdempotencyEntry | undefined {
    const k = `${family}|${idPSP}|${key}`;
    const e = this.idempotency.get(k);
    if (!e) return undefined;
    if (this.clock.now().getTime() >= e.expiresAt) {
      this.idempotency.delete(k);
      return undefined;
    }
    return e;
  }

  remember(family: IdempotencyFamily, idPSP: string, key: string, entry: IdempotencyEntry): void {
    this.idempotency.set(`${family}|${idPSP}|${key}`, entry);
  }

  /** An outcome arrived for the token: its activation key may be reused as a new request. */
  forgetActivationKeys(token: string): void {
    for (const [k, e] of this.idempotency) if (k.startsWith('activate|') && e.paymentToken === token) this.idempotency.delete(k);
  }

  reset(): void {
    this.sessions.clear();
    this.idempotency.clear();
  }
}

/** Stable fingerprint of a request's parameters (everything but the idempotency key). */
export function fingerprint(operation: string, value: XmlObject): string {
  const { idempotencyKey: _k, ...rest } = value;
  return JSON.stringify([operation, rest]);
}
