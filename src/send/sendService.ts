/**
 * The SEND emulator's state and workflow: notification requests (sync checks, async
 * validation against GPD with retries on the clock), the cost engine per notice with GPD
 * pushes for ASYNC notifications, cancellation, and the price lookup of the price API.
 */
import type { Clock } from '../clock.ts';
import { bindCorrelation, type Journal } from '../soap/index.ts';
import {
  ANALOG_PHASES,
  applyPhase,
  feeOf,
  newCostItem,
  priceOf,
  type AnalogPhase,
  type CostItem,
  type CostPhase,
  type NotificationPriceV23,
} from './costEngine.ts';
import { putNotificationFee, type FeeCallResult } from './gpdFeeClient.ts';
import { ok, problem, type Outcome } from '../rest/index.ts';
import { ClockScheduler } from '../scheduler.ts';
import {
  costKey,
  pagoPaPayments,
  type NewNotificationRequest,
  type NotificationRequestRecord,
  type Routing,
  type SendError,
  type SendFinding,
} from './sendModel.ts';
import { syncCheckErrors, withDefaults } from './syncChecks.ts';

export interface SendServiceOptions {
  journal: Journal;
  clock: Clock;
  /** `<world baseUrl>/gpd`; can be set later with setGpdBaseUrl (the port is known after listen). */
  gpdBaseUrl?: string;
  /** Where a notice really lives (docs/send.md §7.1); used for the harness's findings only. */
  routing?: Routing;
  /** Delay between submission and the first validation attempt (default 0). */
  validationDelayMs?: number;
  /** Validation retry schedule (default 10s, 1m, 1m, 5m, 1h). */
  retryIntervalsMs?: number[];
  /** After the schedule, keep retrying at the last interval (default true, as SEND's `-1s`). */
  retryForever?: boolean;
  /** Timeout of each call to GPD (default 5000 ms). */
  gpdTimeoutMs?: number;
  onBug?: (message: string) => void;
}

export const DEFAULT_RETRY_INTERVALS_MS = [10_000, 60_000, 60_000, 300_000, 3_600_000];

export type SubmitResult = { ok: true; record: NotificationRequestRecord } | { ok: false; status: 400 | 409; errors: SendError[]; detail: string };

/** The phases a notification's costs can be moved to (the control API's POST /phase, the sendPhase step). */
export const PHASES = [...ANALOG_PHASES, 'REFINEMENT', 'NOTIFICATION_VIEWED', 'NOTIFICATION_CANCELLED'] as const;

export type PhaseRequest =
  | { phase: AnalogPhase; iun: string; recIndex?: number; analogCost: number }
  | { phase: 'REFINEMENT' | 'NOTIFICATION_VIEWED'; iun: string; recIndex?: number }
  | { phase: 'NOTIFICATION_CANCELLED'; iun: string };

export interface PhaseResult {
  iun: string;
  items: Array<{ recIndex: number; creditorTaxId: string; noticeCode: string; fee: number; gpd?: FeeCallResult }>;
}

const clone = <T>(v: T): T => structuredClone(v);

export class SendService {
  private readonly requests = new Map<string, NotificationRequestRecord>();
  private readonly byIun = new Map<string, string>();
  /** creditorTaxId##noticeCode → request ids that used it, newest last. */
  private readonly links = new Map<string, string[]>();
  private readonly costs = new Map<string, CostItem[]>();
  private readonly scheduler: ClockScheduler;
  private seq = 0;
  private gpdBaseUrl: string | undefined;

  constructor(private readonly opts: SendServiceOptions) {
    this.gpdBaseUrl = opts.gpdBaseUrl;
    this.scheduler = new ClockScheduler(opts.clock, (e) => opts.onBug?.(`SEND scheduled task failed: ${(e as Error).message}`));
  }

  setGpdBaseUrl(url: string): void {
    this.gpdBaseUrl = url;
  }

  private now(): string {
    return this.opts.clock.now().toISOString();
  }

  private get intervals(): number[] {
    return this.opts.retryIntervalsMs ?? DEFAULT_RETRY_INTERVALS_MS;
  }

  private isLive(r: NotificationRequestRecord): boolean {
    return r.status !== 'REFUSED' && !r.cancelled;
  }

  private newIds(): { iun: string; id: string } {
    this.seq += 1;
    const letters = (n: number) => {
      let s = '';
      for (let i = 0; i < 12; i++) s += String.fromCharCode(65 + ((Math.floor(n / 26 ** (i % 4)) + i) % 26));
      return s;
    };
    const l = letters(this.seq);
    const d = this.opts.clock.now();
    const ym = `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
    const iun = `${l.slice(0, 4)}-${l.slice(4, 8)}-${l.slice(8, 12)}-${ym}-${String.fromCharCode(65 + (this.seq % 26))}-${this.seq % 10}`;
    return { iun, id: Buffer.from(iun).toString('base64') };
  }

  /** POST /delivery/v2.6/requests after JSON-schema validation: §2.3 checks, 409, then 202 and async validation. */
  submit(body: NewNotificationRequest): SubmitResult {
    const errors = syncCheckErrors(body);
    if (errors.length)
      return {
        ok: false,
        status: 400,
        errors,
        detail: 'Failed to accept the notification request: validation errors. Fix the payments fields listed in errors[] (docs/send.md §2.3).',
      };
    for (const { payment } of pagoPaPayments(body)) {
      const key = costKey(payment.creditorTaxId, payment.noticeCode);
      const live = (this.links.get(key) ?? []).map((id) => this.requests.get(id)!).find((r) => this.isLive(r));
      if (live) {
        return {
          ok: false,
          status: 409,
          errors: [{ code: 'PN_GENERIC_INVALIDPARAMETER_DUPLICATED', element: 'Duplicated notification for creditorTaxId##noticeCode', detail: key }],
          detail: `Failed to accept the notification request: notice ${key} is already in the live notification request ${live.notificationRequestId}. Use another notice or cancel that notification.`,
        };
      }
    }
    const { iun, id } = this.newIds();
    const record: NotificationRequestRecord = {
      notificationRequestId: id,
      request: withDefaults(body),
      status: 'WAITING',
      createdAt: this.now(),
      iun,
      errors: [],
      attempts: 0,
      cancelled: false,
      findings: [],
    };
    this.requests.set(id, record);
    for (const { payment } of pagoPaPayments(body)) {
      const key = costKey(payment.creditorTaxId, payment.noticeCode);
      this.links.set(key, [...(this.links.get(key) ?? []), id]);
    }
    this.scheduler.after(
      this.opts.validationDelayMs ?? 0,
      bindCorrelation(() => this.validate(id)),
    );
    return { ok: true, record: clone(record) };
  }

  /** One validation attempt (docs/send.md §3.1). */
  private async validate(id: string): Promise<void> {
    const rec = this.requests.get(id);
    if (rec?.status !== 'WAITING') return;
    rec.attempts += 1;
    rec.nextAttemptAt = undefined;
    const r = rec.request;
    if (r.notificationFeePolicy === 'DELIVERY_MODE' && r.pagoPaIntMode === 'ASYNC') {
      if (r.recipients.some((x) => !(x.payments ?? []).length)) {
        return this.refuse(rec, [
          {
            code: 'PAYMENT_NOT_VALID',
            detail: `There isn't payments for recipient. With notificationFeePolicy=${r.notificationFeePolicy} and pagoPaIntMode=${r.pagoPaIntMode} payments are mandatory`,
          },
        ]);
      }
      const list = pagoPaPayments(r).filter((p) => p.payment.applyCost);
      const base = (r.paFee ?? 0) + 100;
      const results = await Promise.all(
        list.map(async (p) => ({ p, res: await this.put(rec, p.payment.creditorTaxId, p.payment.noticeCode, base, 'VALIDATION') })),
      );
      const kos = results.filter((x) => x.res.group === 'KO');
      if (kos.length) {
        return this.refuse(
          rec,
          kos.map((k) => ({
            code: 'PAYMENT_NOT_VALID',
            detail: `Payment information is not valid - creditorTaxId=${k.p.payment.creditorTaxId} noticeCode=${k.p.payment.noticeCode}`,
          })),
        );
      }
      if (results.some((x) => x.res.group === 'RETRY')) return this.scheduleRetry(rec);
    }
    this.accept(rec);
  }

  private scheduleRetry(rec: NotificationRequestRecord): Promise<void> {
    const list = this.intervals;
    const delay = list[rec.attempts - 1] ?? (this.opts.retryForever === false ? undefined : list.at(-1));
    if (delay === undefined) return this.refuse(rec, [{ code: 'SERVICE_UNAVAILABLE', detail: 'Servizio non disponibile' }]);
    rec.nextAttemptAt = new Date(this.opts.clock.now().getTime() + delay).toISOString();
    this.scheduler.after(
      delay,
      bindCorrelation(() => this.validate(rec.notificationRequestId)),
    );
    return Promise.resolve();
  }

  private put(rec: NotificationRequestRecord, cf: string, nav: string, fee: number, phase: CostPhase): Promise<FeeCallResult> {
    return putNotificationFee(this.opts.journal, () => this.opts.clock.now(), this.opts.gpdTimeoutMs ?? 5000, {
      gpdBaseUrl: this.gpdBaseUrl,
      creditorTaxId: cf,
      noticeCode: nav,
      fee,
      phase,
      iun: rec.status === 'ACCEPTED' ? rec.iun : undefined,
      notificationRequestId: rec.notificationRequestId,
    });
  }

  private pushesToGpd(rec: NotificationRequestRecord): boolean {
    return rec.request.notificationFeePolicy === 'DELIVERY_MODE' && rec.request.pagoPaIntMode === 'ASYNC';
  }

  private async refuse(rec: NotificationRequestRecord, errors: SendError[]): Promise<void> {
    rec.status = 'REFUSED';
    rec.errors = errors;
    if (!this.pushesToGpd(rec)) return;
    // REQUEST_REFUSED: the fee written at VALIDATION goes back to 0 (docs/send.md §3.2).
    const list = pagoPaPayments(rec.request).filter((p) => p.payment.applyCost);
    await Promise.all(list.map((p) => this.put(rec, p.payment.creditorTaxId, p.payment.noticeCode, 0, 'REQUEST_REFUSED')));
  }

  private accept(rec: NotificationRequestRecord): void {
    rec.status = 'ACCEPTED';
    this.byIun.set(rec.iun!, rec.notificationRequestId);
    const r = rec.request;
    const items = pagoPaPayments(r).map(({ recIndex, payment }) => {
      const item = newCostItem(recIndex, payment.creditorTaxId, payment.noticeCode, payment.applyCost, r.paFee ?? 0);
      applyPhase(item, 'VALIDATION', r.vat ?? 0);
      return item;
    });
    this.costs.set(rec.notificationRequestId, items);
    rec.findings = this.findingsOf(rec);
  }

  private findingsOf(rec: NotificationRequestRecord): SendFinding[] {
    const routing = this.opts.routing;
    if (!routing) return [];
    const r = rec.request;
    const out: SendFinding[] = [];
    for (const { payment: p } of pagoPaPayments(r)) {
      const actual = routing(p.creditorTaxId, p.noticeCode);
      if (r.notificationFeePolicy === 'DELIVERY_MODE' && p.applyCost && r.pagoPaIntMode !== 'ASYNC' && actual === 'gpd') {
        out.push({
          code: 'COST_NOT_RECOVERED',
          severity: 'error',
          creditorTaxId: p.creditorTaxId,
          noticeCode: p.noticeCode,
          message: `Failed to recover the notification cost of notice ${p.creditorTaxId}/${p.noticeCode}: the notification declares pagoPaIntMode=${r.pagoPaIntMode} but the notice is served by GPD, so SEND never writes the fee and the citizen pays NOTIFICATION_FEE=0 (the EC may be invoiced). Declare the notification ASYNC.`,
        });
      }
      if (r.pagoPaIntMode === 'ASYNC' && !p.applyCost && actual === 'station') {
        out.push({
          code: 'MIXED_INTEGRATION_MODE',
          severity: 'warning',
          creditorTaxId: p.creditorTaxId,
          noticeCode: p.noticeCode,
          message: `Notice ${p.creditorTaxId}/${p.noticeCode} is served by the EC station inside an ASYNC notification; SEND did not check it because applyCost=false. SEND requires one integration mode per notification: keep sync notices in SYNC notifications.`,
        });
      }
    }
    return out;
  }

  /** Advances the cost lifecycle of an accepted notification; pushes to GPD only for ASYNC. */
  async advancePhase(req: PhaseRequest): Promise<Outcome<PhaseResult>> {
    const id = this.byIun.get(req.iun);
    const rec = id ? this.requests.get(id) : undefined;
    if (!rec)
      return problem(
        404,
        'Not Found',
        `Failed to advance notification ${req.iun}: no accepted notification with this IUN. Use the iun of an ACCEPTED request.`,
      );
    if (rec.cancelled) return problem(409, 'Conflict', `Failed to advance notification ${req.iun}: it is cancelled. Submit a new notification.`);
    const items = this.costs.get(rec.notificationRequestId) ?? [];
    const vat = rec.request.vat ?? 0;
    if (req.phase === 'REFINEMENT' || req.phase === 'NOTIFICATION_VIEWED') {
      if (req.phase === 'REFINEMENT') rec.refinementDate ??= this.localMidnight();
      else rec.viewDate ??= this.now();
      return ok({
        iun: req.iun,
        items: items.map((i) => ({ recIndex: i.recIndex, creditorTaxId: i.creditorTaxId, noticeCode: i.noticeCode, fee: feeOf(i, vat) })),
      });
    }
    if (req.phase === 'NOTIFICATION_CANCELLED') rec.cancelled = true;
    const touched = req.phase === 'NOTIFICATION_CANCELLED' ? items : items.filter((i) => i.recIndex === (req.recIndex ?? 0));
    const analogCost = 'analogCost' in req ? req.analogCost : 0;
    const result: PhaseResult = { iun: req.iun, items: [] };
    for (const item of touched) {
      const fee = applyPhase(item, req.phase, vat, analogCost);
      const entry: PhaseResult['items'][number] = { recIndex: item.recIndex, creditorTaxId: item.creditorTaxId, noticeCode: item.noticeCode, fee };
      if (this.pushesToGpd(rec) && item.applyCost) entry.gpd = await this.pushWithRetry(rec, item, req.phase, 0);
      result.items.push(entry);
    }
    return ok(result);
  }

  /** After acceptance a GPD KO is only logged, a RETRY is retried with the current fee (docs/send.md §3.2). */
  private async pushWithRetry(rec: NotificationRequestRecord, item: CostItem, phase: CostPhase, attempt: number): Promise<FeeCallResult> {
    const res = await this.put(rec, item.creditorTaxId, item.noticeCode, feeOf(item, rec.request.vat ?? 0), phase);
    if (res.group === 'RETRY') {
      const delay = this.intervals[attempt] ?? (this.opts.retryForever === false ? undefined : this.intervals.at(-1));
      if (delay !== undefined)
        this.scheduler.after(
          delay,
          bindCorrelation(async () => void (await this.pushWithRetry(rec, item, phase, attempt + 1))),
        );
    }
    return res;
  }

  private localMidnight(): string {
    const d = this.opts.clock.now();
    return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())).toISOString();
  }

  cancel(iun: string): Promise<Outcome<PhaseResult>> {
    return this.advancePhase({ phase: 'NOTIFICATION_CANCELLED', iun });
  }

  /** GET /delivery/v2.3/price/{paTaxId}/{noticeCode}: the price or one of the three 404s of docs/send.md §4.1. */
  price(paTaxId: string, noticeCode: string): Outcome<NotificationPriceV23> {
    const ids = this.links.get(costKey(paTaxId, noticeCode)) ?? [];
    const rec = ids
      .map((id) => this.requests.get(id)!)
      .filter((r) => r.status !== 'REFUSED')
      .at(-1);
    if (!rec)
      return problem(
        404,
        'PN_DELIVERY_NOTIFICATIONCOSTNOTFOUND',
        `Failed to find the notification cost of ${paTaxId}/${noticeCode}: the notice is not linked to any notification.`,
        [{ code: 'PN_DELIVERY_NOTIFICATIONCOSTNOTFOUND', detail: `creditorTaxId=${paTaxId} noticeCode=${noticeCode}` }],
      );
    if (rec.cancelled)
      return problem(404, 'PN_DELIVERY_NOTIFICATION_CANCELLED', `Failed to price ${paTaxId}/${noticeCode}: notification ${rec.iun} is cancelled.`, [
        { code: 'PN_DELIVERY_NOTIFICATION_CANCELLED', detail: `iun=${rec.iun}` },
      ]);
    if (rec.status !== 'ACCEPTED')
      return problem(404, 'PN_DELIVERY_PUSH_NOTIFICATION_NOT_ACCEPTED', `Failed to price ${paTaxId}/${noticeCode}: the notification is not accepted yet.`, [
        { code: 'PN_DELIVERY_PUSH_NOTIFICATION_NOT_ACCEPTED', detail: `notificationRequestId=${rec.notificationRequestId}` },
      ]);
    const item = (this.costs.get(rec.notificationRequestId) ?? []).find((i) => i.creditorTaxId === paTaxId && i.noticeCode === noticeCode)!;
    const r = rec.request;
    return ok(
      priceOf(item, {
        iun: rec.iun!,
        policy: r.notificationFeePolicy,
        paFee: r.paFee ?? 0,
        vat: r.vat ?? 0,
        refinementDate: rec.refinementDate,
        viewDate: rec.viewDate,
      }),
    );
  }

  /** The request as GET /requests shows it: iun only once ACCEPTED. */
  getRequest(notificationRequestId: string): NotificationRequestRecord | undefined {
    const r = this.requests.get(notificationRequestId);
    return r ? clone(r) : undefined;
  }

  findByIun(iun: string): NotificationRequestRecord | undefined {
    const id = this.byIun.get(iun);
    return id ? this.getRequest(id) : undefined;
  }

  listRequests(): NotificationRequestRecord[] {
    return [...this.requests.values()].map(clone);
  }

  costItems(iun: string): CostItem[] {
    const id = this.byIun.get(iun);
    return id ? clone(this.costs.get(id) ?? []) : [];
  }

  /** Resolves when no validation or GPD push is running (due work on a ManualClock runs on advance). */
  settle(): Promise<void> {
    return this.scheduler.idle();
  }

  get pendingTasks(): number {
    return this.scheduler.pending;
  }

  reset(): void {
    this.scheduler.clear();
    this.requests.clear();
    this.byIun.clear();
    this.links.clear();
    this.costs.clear();
  }

  close(): void {
    this.scheduler.close();
  }
}
