/**
 * Delivery of one receipt to one recipient: the per-recipient state machine
 * NOTICE_GENERATED → NOTICE_SENT → NOTIFIED | NOTICE_PENDING (→ NOTICE_SENT again on the
 * next retry), retries on the injected clock, and one journal record per attempt
 * (docs/primitives.md §10.2). Recipients are independent: each runs its own attempts.
 */
import { checkOutcome } from '../semantic.ts';
import { wrap, unwrap } from '../../soap/index.ts';
import { callSoap, type CallResult } from '../../soap/index.ts';
import { operationByName } from '../../soap/index.ts';
import { readFaultBean } from '../../soap/index.ts';
import { currentCorrelation, findingNote, withCorrelation, type FailureKind, type Journal } from '../../soap/index.ts';
import type { Clock } from '../../clock.ts';
import { buildXml } from '../../xml/index.ts';
import { formatIssue, type Issue } from '../../xml/index.ts';
import type { Registry } from '../registry.ts';
import { receiptBody, type ReceiptData, type ReceiptPrimitive } from './receipt.ts';
import type { Recipient, RecipientRule, SecondaryRule } from './recipients.ts';

/** SKIPPED: nothing is sent to this recipient (reason in `lastError`). */
export type DeliveryState = 'NOTICE_GENERATED' | 'NOTICE_SENT' | 'NOTIFIED' | 'NOTICE_PENDING' | 'SKIPPED';

export interface Attempt {
  n: number;
  at: string;
  /** OK / KO: the station answered with a valid response; failed: see `failure`. */
  result: 'OK' | 'KO' | 'failed';
  failure?: FailureKind;
  faultCode?: string;
  message: string;
  durationMs: number;
  url: string;
  /** seq of the journal record of this attempt. */
  journalSeq: number;
}

export interface RecipientDelivery {
  rule: RecipientRule;
  idPA: string;
  idBrokerPA: string;
  idStation: string;
  primitive?: ReceiptPrimitive;
  state: DeliveryState;
  attempts: Attempt[];
  lastError?: string;
  /** When the next retry is due (NOTICE_PENDING with attempts left). */
  nextAttemptAt?: string;
  /** NOTICE_PENDING after the last allowed attempt: no more retries. */
  gaveUp: boolean;
}

/** The receipt of one payment and the delivery to each of its recipients. */
export interface ReceiptRecord {
  receiptId: string;
  paymentToken: string;
  noticeNumber: string;
  /** The notice issuer (primary EC). */
  fiscalCode: string;
  createdAt: string;
  secondaryRule: SecondaryRule;
  recipients: RecipientDelivery[];
}

/** A receipt as seen by one station. */
export interface StationReceipt {
  receiptId: string;
  noticeNumber: string;
  fiscalCode: string;
  idPA: string;
  rule: RecipientRule;
  primitive?: ReceiptPrimitive;
  state: RecipientDelivery['state'];
  attempts: number;
  lastError?: string;
}

export interface DeliveryOptions {
  /** Per-attempt timeout when the station has no `timeouts.paSendRT` (default 15 s). */
  timeoutMs: number;
  /** Attempts in total, the first included (default 48). */
  maxAttempts: number;
  /** Time between attempts (default 1 h). */
  retryIntervalMs: number;
}

export const DEFAULT_DELIVERY_OPTIONS: DeliveryOptions = { timeoutMs: 15_000, maxAttempts: 48, retryIntervalMs: 3_600_000 };

export interface DeliveryDeps {
  journal: Journal;
  clock: Clock;
  registry: () => Registry;
  stationUrl: (stationCode: string) => string;
  options: DeliveryOptions;
}

/** One recipient's delivery with what the scheduler needs besides the public view. */
export interface DeliveryJob {
  rd: RecipientDelivery;
  envelope?: string;
  meta: { paymentToken: string; noticeNumber: string; idPA: string; idStation: string };
  /** The PSP exchange (sendPaymentOutcome) that caused this delivery: retries keep it. */
  correlationId?: string;
  nextAt?: number;
  running?: Promise<void>;
}

function issuesText(issues: readonly Issue[]): string {
  return issues.map(formatIssue).join('; ');
}

/** Builds the body for the recipient and checks it against the XSD: an invalid receipt is our bug, never sent. */
export function createJob(recipient: Recipient, data: ReceiptData): DeliveryJob {
  const { header } = recipient;
  const rd: RecipientDelivery = { rule: recipient.rule, ...header, state: 'NOTICE_GENERATED', attempts: [], gaveUp: false };
  const job: DeliveryJob = {
    rd,
    meta: { paymentToken: data.input.paymentToken, noticeNumber: data.input.qrCode.noticeNumber, idPA: header.idPA, idStation: header.idStation },
    correlationId: currentCorrelation(),
  };
  if (!recipient.primitive) {
    rd.state = 'SKIPPED';
    rd.lastError = recipient.skip;
    return job;
  }
  rd.primitive = recipient.primitive;
  let built: ReturnType<typeof receiptBody>;
  try {
    built = receiptBody(recipient.primitive, data, header);
  } catch (e) {
    built = {
      ok: false,
      reason: `BUG: the ${recipient.primitive} could not be built from the receipt input (${(e as Error).message}); the payment data of paGetPayment is missing or malformed`,
    };
  }
  if (!built.ok) {
    rd.state = 'SKIPPED';
    rd.lastError = built.reason;
    return job;
  }
  const envelope = wrap(buildXml(built.body));
  const check = unwrap(envelope, { read: false });
  const issues = check.ok ? check.message.issues : check.problem.issues;
  if (issues.length) {
    rd.state = 'SKIPPED';
    rd.lastError = `BUG: the ${recipient.primitive} built by the harness is not valid against the XSD (${issuesText(issues)}); the receipt input is incomplete or wrong`;
    return job;
  }
  job.envelope = envelope;
  return job;
}

/** Journal record of a recipient that gets nothing, so the journal says why. */
export function recordSkip(deps: DeliveryDeps, job: DeliveryJob): void {
  const { rd } = job;
  deps.journal.record({
    at: deps.clock.now().toISOString(),
    party: 'nodo',
    direction: 'outbound',
    from: 'nodo',
    to: `station:${rd.idStation}`,
    operation: rd.primitive ?? 'paaInviaRT',
    request: '',
    durationMs: 0,
    notes: [`receipt not sent to ${rd.idStation} for EC ${rd.idPA} (${rd.rule}): ${rd.lastError ?? 'no reason recorded'}`],
    meta: { ...job.meta, attempt: 0, skipped: true },
    correlationId: job.correlationId,
  });
}

interface Classified {
  result: Attempt['result'];
  message: string;
  failure?: FailureKind;
  faultCode?: string;
  notes: string[];
  responseIssues: Issue[];
}

function classify(r: CallResult, primitive: ReceiptPrimitive, idStation: string): Classified {
  if (!r.ok) {
    const notes = [`Failed to deliver ${primitive} to station ${idStation}: ${r.message}. The receipt stays NOTICE_PENDING and is retried.`];
    if (r.issues.length) notes.push(`schema issues: ${issuesText(r.issues)}`);
    return { result: 'failed', message: r.message, failure: r.kind, faultCode: r.fault?.faultcode, notes, responseIssues: r.issues };
  }
  const value = r.message.bodyChild.value;
  const broken = checkOutcome(value);
  if (broken.length) {
    // KO without fault bean / OK with fault: an invalid answer (§8.1), so delivery is retried like any invalid response.
    const message = `${broken[0]!.rule}: ${broken[0]!.message}`;
    return {
      result: 'failed',
      message,
      notes: [`Failed to deliver ${primitive} to station ${idStation}: invalid answer, ${message}. The receipt stays NOTICE_PENDING and is retried.`],
      responseIssues: [],
    };
  }
  if (value['outcome'] === 'KO') {
    const fault = readFaultBean(value['fault']);
    const code = fault?.faultCode || 'KO without fault';
    const message = `station answered KO ${code}${fault?.description ? `: ${fault.description}` : ''}`;
    return { result: 'KO', message, faultCode: fault?.faultCode, notes: [`${message}; a valid KO ends delivery (no retry)`], responseIssues: [] };
  }
  return { result: 'OK', message: 'station answered OK', notes: [], responseIssues: [] };
}

/** One attempt: call, record in the journal, move the state. Never throws. */
export async function attemptDelivery(deps: DeliveryDeps, job: DeliveryJob): Promise<void> {
  const { rd } = job;
  const primitive = rd.primitive!;
  const op = operationByName(primitive)!;
  const n = rd.attempts.length + 1;
  const at = deps.clock.now().toISOString();
  rd.state = 'NOTICE_SENT';
  rd.nextAttemptAt = undefined;
  const station = deps.registry().stations.find((s) => s.stationCode === rd.idStation);
  const timeoutMs = station?.timeouts.paSendRT ?? deps.registry().settings?.stationTimeouts?.paSendRT ?? deps.options.timeoutMs;
  let url = '';
  let r: CallResult;
  try {
    url = deps.stationUrl(rd.idStation);
    // A retry runs from a timer or a clock advance: it still belongs to the payment's exchange.
    r = await withCorrelation(job.correlationId, () =>
      callSoap({ url, soapAction: primitive, envelope: job.envelope!, timeoutMs, expectResponse: op.response }),
    );
  } catch (e) {
    r = { ok: false, kind: 'refused', message: `no URL for station ${rd.idStation}: ${(e as Error).message}`, issues: [], durationMs: 0 };
  }
  const c = classify(r, primitive, rd.idStation);
  const last = n >= deps.options.maxAttempts;
  if (c.result === 'failed' && last) c.notes.push(`attempt ${n} of ${deps.options.maxAttempts} was the last one: delivery given up`);
  const rec = deps.journal.record({
    at,
    party: 'nodo',
    direction: 'outbound',
    from: 'nodo',
    to: `station:${rd.idStation}`,
    operation: primitive,
    url,
    soapAction: primitive,
    httpStatus: r.status,
    request: job.envelope!,
    response: r.text,
    responseIssues: c.responseIssues,
    durationMs: r.durationMs,
    outcome: c.result === 'failed' ? undefined : c.result,
    faultCode: c.faultCode,
    failure: c.failure,
    notes: r.ok ? [...c.notes, ...r.warnings.map(findingNote)] : c.notes,
    ...(r.ok && r.warnings.length ? { findings: r.warnings } : {}),
    meta: { ...job.meta, attempt: n },
    correlationId: job.correlationId,
  });
  rd.attempts.push({
    n,
    at,
    result: c.result,
    failure: c.failure,
    faultCode: c.faultCode,
    message: c.message,
    durationMs: Math.round(r.durationMs),
    url,
    journalSeq: rec.seq,
  });
  if (c.result === 'OK') {
    rd.state = 'NOTIFIED';
    rd.lastError = undefined;
    return;
  }
  rd.lastError = c.message;
  if (c.result === 'KO') {
    rd.state = 'NOTIFIED';
    return;
  }
  rd.state = 'NOTICE_PENDING';
  if (last) rd.gaveUp = true;
}
