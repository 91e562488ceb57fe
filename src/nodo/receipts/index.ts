/**
 * Receipt delivery for the mock Nodo (docs/primitives.md §10): after an OK sendPaymentOutcome
 * the Nodo calls `deliver(input)`; this part computes the recipients from the registry,
 * builds one paSendRT/paSendRTV2 per recipient, sends them and retries on the clock.
 * See README.md in this folder for the rules and switches.
 */
import type { Router } from 'express';
import { parseDuration, type Clock } from '../../clock.ts';
import { ERR, HarnessError } from '../../errors.ts';
import type { Journal } from '../../soap/index.ts';
import { findEc, type Registry } from '../registry.ts';
import { createJob, DEFAULT_DELIVERY_OPTIONS, type DeliveryOptions, type ReceiptRecord, type RecipientDelivery, type StationReceipt } from './delivery.ts';
import { receiptsRouter } from './control.ts';
import type { ReceiptData, ReceiptInput, ResolvedPsp } from './receipt.ts';
import { recipientsOf, type SecondaryRule } from './recipients.ts';
import { createRetryScheduler } from './retryScheduler.ts';
import { DueQueue } from '../dueQueue.ts';

export type { ReceiptInput, PaymentData, PaymentTransfer, OutcomeDetails, PspData, ServedBy, Stamp, Subject, Metadata } from './receipt.ts';
export { outcomeDetailsFromXml, paSendRTReqBody, paSendRTV2RequestBody, receiptBody, type ReceiptData, type ReceiptPrimitive } from './receipt.ts';
export type { RecipientDelivery, DeliveryState, Attempt, ReceiptRecord, StationReceipt } from './delivery.ts';
export { recipientsOf, type Recipient, type RecipientRule, type SecondaryRule } from './recipients.ts';
export { RECEIPTS_CONTROL_PATH } from './control.ts';

export interface ReceiptDeliveryOptions {
  /** Per-attempt timeout when the station has no timeouts.paSendRT: ms or '15s' (default 15 s). */
  timeout?: number | string;
  /** Attempts in total, the first included (default 48). */
  maxAttempts?: number;
  /** Time between attempts: ms or '1h' (default 1 h). */
  retryInterval?: number | string;
  /** R-SECONDARY corner: '258' (default) or '148' (see recipients.ts). */
  secondaryRule?: SecondaryRule;
  /** How long a receipt is kept once every recipient is final (delivered, skipped, given up): ms or '24h' (default 24 h). */
  retention?: number | string;
  /** At most this many final receipts kept: past it the oldest final one is retired at once (default 10,000). */
  retentionMax?: number;
}

/** Default cap on the final receipts kept (about 6 MB). */
export const DEFAULT_RECEIPTS_RETAINED_MAX = 10_000;

export interface CreateReceiptDeliveryOptions {
  journal: Journal;
  clock: Clock;
  /** The registry as it is now (read at delivery and at every attempt). */
  registry: () => Registry;
  /** URL of a station's paForNode endpoint, resolved at every attempt. */
  stationUrl: (stationCode: string) => string;
  options?: ReceiptDeliveryOptions;
}

export interface ReceiptDelivery {
  /** Starts delivery of the receipt of an OK payment; idempotent per paymentToken. */
  deliver(input: ReceiptInput): ReceiptRecord;
  receipt(paymentToken: string): ReceiptRecord | undefined;
  /** Every recipient of one payment (empty when unknown). */
  receiptsOf(paymentToken: string): RecipientDelivery[];
  /** Every receipt actually sent (at least one attempt) to a station. */
  receiptsForStation(idStation: string): StationReceipt[];
  all(): ReceiptRecord[];
  /** Resolves when no attempt is in flight. */
  whenIdle(): Promise<void>;
  /** Attempts in flight now (0 once whenIdle resolved and nothing new started). */
  inFlight(): number;
  reset(): void;
  /** reset() and stop listening to the clock. */
  close(): void;
  /** Records and jobs held (bounded-memory checks). */
  sizes(): Record<string, number>;
  router: Router;
}

function resolveOptions(o: ReceiptDeliveryOptions = {}): DeliveryOptions & { secondaryRule: SecondaryRule; retentionMs: number; retentionMax: number } {
  const fail = (why: string): never => {
    throw new HarnessError(ERR.CONFIG, `Failed to configure receipt delivery: ${why}. Fix the receipts options of the Nodo.`);
  };
  const duration = (v: number | string | undefined, name: string, dflt: number): number => {
    if (v === undefined) return dflt;
    let ms: number;
    try {
      ms = parseDuration(v);
    } catch (e) {
      return fail(`${name}: ${(e as Error).message}`);
    }
    return ms > 0 ? ms : fail(`${name} must be greater than 0, got ${v}`);
  };
  const maxAttempts = o.maxAttempts ?? DEFAULT_DELIVERY_OPTIONS.maxAttempts;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) fail(`maxAttempts must be an integer >= 1, got ${maxAttempts}`);
  const secondaryRule = o.secondaryRule ?? '258';
  if (secondaryRule !== '258' && secondaryRule !== '148') fail(`secondaryRule must be '258' or '148', got '${String(secondaryRule)}'`);
  const retentionMax = o.retentionMax ?? DEFAULT_RECEIPTS_RETAINED_MAX;
  if (!Number.isInteger(retentionMax) || retentionMax < 0) fail(`retentionMax must be an integer >= 0, got ${retentionMax}`);
  return {
    timeoutMs: duration(o.timeout, 'timeout', DEFAULT_DELIVERY_OPTIONS.timeoutMs),
    retryIntervalMs: duration(o.retryInterval, 'retryInterval', DEFAULT_DELIVERY_OPTIONS.retryIntervalMs),
    maxAttempts,
    secondaryRule,
    retentionMs: duration(o.retention, 'retention', 86_400_000),
    retentionMax,
  };
}

/** Fills the PSP/channel names and the mandatory receipt companyName from the registry. */
function receiptData(registry: Registry, input: ReceiptInput): ReceiptData {
  const psp = registry.psps.find((p) => p.pspCode === input.psp.idPSP);
  const channel = registry.channels.find((c) => c.channelCode === input.psp.idChannel);
  const resolved: ResolvedPsp = {
    idPSP: input.psp.idPSP,
    idChannel: input.psp.idChannel,
    PSPCompanyName: input.psp.PSPCompanyName ?? psp?.businessName ?? input.psp.idPSP,
    channelDescription: input.psp.channelDescription ?? channel?.description ?? input.outcome.paymentChannel ?? input.psp.idChannel,
    pspFiscalCode: input.psp.pspFiscalCode ?? psp?.fiscalCode,
    pspPartitaIVA: input.psp.pspPartitaIVA ?? psp?.vatNumber,
  };
  const companyName = input.payment?.companyName || findEc(registry, input.qrCode.fiscalCode)?.businessName || input.qrCode.fiscalCode;
  return { input, psp: resolved, companyName };
}

export function createReceiptDelivery(opts: CreateReceiptDeliveryOptions): ReceiptDelivery {
  const options = resolveOptions(opts.options);
  const records = new Map<string, ReceiptRecord>();
  /** paymentToken → recipients not final yet; at 0 the record is retired `retention` later. */
  const open = new Map<string, number>();
  let retire = new DueQueue<string>();
  /** Tokens of final receipts, oldest first (from `head`), for the cap `retentionMax`. */
  let finals: string[] = [];
  let head = 0;
  /** A receipt is final (every recipient delivered, skipped or given up): retired on the clock, or sooner past the cap. */
  function final(token: string): void {
    retire.push(opts.clock.now().getTime() + options.retentionMs, token);
    finals.push(token);
    while (records.size > options.retentionMax && head < finals.length) {
      const t = finals[head++]!;
      if (!open.has(t)) records.delete(t);
    }
    // Both queues also hold receipts already retired: rebuilt when those are most of them.
    if (finals.length - head > 2 * records.size + 1024 || (head > 1024 && head * 2 > finals.length)) {
      finals = finals.slice(head).filter((t) => records.has(t));
      head = 0;
    }
    if (retire.size > 2 * records.size + 1024) retire = retire.filter((t) => records.has(t));
  }
  const scheduler = createRetryScheduler({ journal: opts.journal, clock: opts.clock, registry: opts.registry, stationUrl: opts.stationUrl, options }, (job) => {
    const token = job.meta.paymentToken;
    const left = (open.get(token) ?? 1) - 1;
    if (left > 0) return void open.set(token, left);
    open.delete(token);
    if (records.has(token)) final(token);
  });

  /** Retires the receipts whose every recipient has been final for `retention`. */
  function sweep(now = opts.clock.now()): void {
    for (let t = retire.popDue(now.getTime()); t !== undefined; t = retire.popDue(now.getTime())) if (!open.has(t)) records.delete(t);
  }
  const unsubscribe = opts.clock.onAdvance((now) => sweep(now));

  function deliver(input: ReceiptInput): ReceiptRecord {
    sweep();
    const existing = records.get(input.paymentToken);
    if (existing) return existing;
    const registry = opts.registry();
    const data = receiptData(registry, input);
    // A stand-in receipt carries standIn true to recipients whose station has flagStandIn, and no standIn element to the others (docs/aca-standin.md §3.4).
    const flagged = (code: string) => registry.stations.find((s) => s.stationCode === code)?.flagStandIn === true;
    const dataFor = (code: string): ReceiptData => (input.standIn === true && !flagged(code) ? { ...data, input: { ...input, standIn: undefined } } : data);
    const jobs = recipientsOf(registry, input, { secondaryRule: options.secondaryRule }).map((r) => createJob(r, dataFor(r.header.idStation)));
    const record: ReceiptRecord = {
      receiptId: input.paymentToken,
      paymentToken: input.paymentToken,
      noticeNumber: input.qrCode.noticeNumber,
      fiscalCode: input.qrCode.fiscalCode,
      createdAt: opts.clock.now().toISOString(),
      secondaryRule: options.secondaryRule,
      recipients: jobs.map((j) => j.rd),
    };
    records.set(input.paymentToken, record);
    if (jobs.length === 0) final(input.paymentToken);
    else open.set(input.paymentToken, jobs.length);
    for (const j of jobs) scheduler.start(j);
    return record;
  }

  function receiptsForStation(idStation: string): StationReceipt[] {
    const out: StationReceipt[] = [];
    for (const r of records.values()) {
      for (const d of r.recipients) {
        if (d.idStation !== idStation || d.attempts.length === 0) continue;
        out.push({
          receiptId: r.receiptId,
          noticeNumber: r.noticeNumber,
          fiscalCode: r.fiscalCode,
          idPA: d.idPA,
          rule: d.rule,
          primitive: d.primitive,
          state: d.state,
          attempts: d.attempts.length,
          lastError: d.lastError,
        });
      }
    }
    return out;
  }

  const api = {
    deliver,
    receipt: (paymentToken: string) => {
      sweep();
      return records.get(paymentToken);
    },
    receiptsOf: (paymentToken: string) => {
      sweep();
      return records.get(paymentToken)?.recipients ?? [];
    },
    receiptsForStation: (idStation: string) => {
      sweep();
      return receiptsForStation(idStation);
    },
    all: () => {
      sweep();
      return [...records.values()];
    },
    whenIdle: () => scheduler.whenIdle(),
    inFlight: () => scheduler.inFlight(),
    sizes: () => ({ receiptRecords: records.size, receiptsOpen: open.size, retryJobs: scheduler.size() }),
    reset() {
      scheduler.reset();
      records.clear();
      open.clear();
      retire.clear();
      finals = [];
      head = 0;
    },
    close() {
      scheduler.close();
      unsubscribe();
      records.clear();
      open.clear();
      retire.clear();
      finals = [];
      head = 0;
    },
  };
  return { ...api, router: receiptsRouter(api) };
}
