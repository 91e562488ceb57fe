/**
 * In-memory GPD store: debt positions with payment options and transfers, their life
 * cycle (draft → published/valid → paid | invalid | expired) and the notification-fee
 * update of docs/send.md §3.3. Every operation returns an Outcome (problem on failure).
 */
import type { Clock } from '../clock.ts';
import { ok, problem, type Outcome } from '../rest/index.ts';
import {
  primaryTransfer,
  type DebtPosition,
  type DebtPositionInput,
  type PaymentOption,
  type PositionStatus,
  type Receipt,
  type ServiceType,
} from './gpdModel.ts';

export interface OptionRef {
  position: DebtPosition;
  option: PaymentOption;
}

export type FeeUpdate = { status: 200 | 209; option: PaymentOption; previousFee: number };

/** Why a notice cannot be paid, in GPD's own terms; mapped to PAA_* by the paForNode side. */
export type PayableState =
  | { kind: 'payable'; ref: OptionRef }
  | { kind: 'unknown'; why: string }
  | { kind: 'not-payable-yet'; ref: OptionRef }
  | { kind: 'expired'; ref: OptionRef }
  | { kind: 'invalid'; ref: OptionRef }
  | { kind: 'paid'; ref: OptionRef };

export interface GpdStoreOptions {
  clock: Clock;
  /** docs/send.md §3.3 step 3: "is a payment in progress at the Nodo for this notice?" (209). */
  paymentInProgress?: (organizationFiscalCode: string, nav: string) => boolean;
}

const clone = <T>(v: T): T => structuredClone(v);

/** A due date as an instant: a bare date lasts the whole day; a local date-time (no offset, as ACA stores it) is read as UTC so the result does not depend on the machine's time zone. */
function dueInstant(d: string): number {
  if (d.length === 10) return new Date(`${d}T23:59:59.999Z`).getTime();
  return new Date(/(Z|[+-]\d{2}:\d{2})$/i.test(d) ? d : `${d}Z`).getTime();
}

export class GpdStore {
  private readonly positions = new Map<string, DebtPosition>();
  private readonly inProgress = new Set<string>();
  constructor(private readonly opts: GpdStoreOptions) {}

  private key(org: string, iupd: string): string {
    return `${org}|${iupd}`;
  }

  private nowIso(): string {
    return this.opts.clock.now().toISOString();
  }

  /** Status as of now: published positions become valid at validityDate, unpaid ones expire after dueDate. */
  private refresh(p: DebtPosition): DebtPosition {
    const now = this.opts.clock.now();
    if (p.status === 'PUBLISHED' && (!p.validityDate || new Date(p.validityDate) <= now)) p.status = 'VALID';
    if (p.status === 'VALID' && p.switchToExpired) {
      const lastDue = Math.max(...p.paymentOption.map((o) => dueInstant(o.dueDate)));
      if (lastDue < now.getTime()) p.status = 'EXPIRED';
    }
    return p;
  }

  private conflictingNav(org: string, input: DebtPositionInput, exceptIupd?: string): string | undefined {
    for (const p of this.positions.values()) {
      if (p.organizationFiscalCode !== org || p.iupd === exceptIupd) continue;
      for (const o of p.paymentOption) {
        for (const i of input.paymentOption) if (o.iuv === i.iuv || o.nav === (i.nav ?? `3${i.iuv}`)) return o.nav;
      }
    }
    return undefined;
  }

  private checkInput(input: DebtPositionInput): string | undefined {
    for (const o of input.paymentOption) {
      const sum = o.transfer.reduce((s, t) => s + t.amount, 0);
      if (sum !== o.amount) return `payment option ${o.iuv}: the transfer amounts add up to ${sum} but amount is ${o.amount}`;
      const ids = new Set(o.transfer.map((t) => t.idTransfer));
      if (ids.size !== o.transfer.length) return `payment option ${o.iuv}: duplicated idTransfer`;
      for (const t of o.transfer) {
        if (!t.iban && !t.postalIban && !t.stamp) return `payment option ${o.iuv} transfer ${t.idTransfer}: one of iban, postalIban or stamp is required`;
      }
    }
    return undefined;
  }

  private build(org: string, input: DebtPositionInput, previous?: DebtPosition, serviceType?: ServiceType): DebtPosition {
    const now = this.nowIso();
    const oldFees = new Map(previous?.paymentOption.map((o) => [o.nav, o.notificationFee]) ?? []);
    const kind = serviceType ?? previous?.serviceType;
    const position: DebtPosition = {
      ...clone(input),
      switchToExpired: input.switchToExpired ?? false,
      organizationFiscalCode: org,
      ...(kind ? { serviceType: kind } : {}),
      status: 'DRAFT',
      insertedDate: previous?.insertedDate ?? now,
      lastUpdatedDate: now,
      paymentOption: input.paymentOption.map((o) => ({ ...clone(o), nav: o.nav ?? `3${o.iuv}`, notificationFee: 0, status: 'PO_UNPAID' })),
    };
    // An update keeps the notification fee SEND already wrote on the same notice.
    for (const o of position.paymentOption) {
      const fee = oldFees.get(o.nav) ?? 0;
      const primary = primaryTransfer(org, o);
      if (fee > 0 && primary) {
        o.notificationFee = fee;
        o.amount += fee;
        primary.amount += fee;
      }
    }
    return position;
  }

  create(org: string, input: DebtPositionInput, opts: { toPublish?: boolean; serviceType?: ServiceType } = {}): Outcome<DebtPosition> {
    if (this.positions.has(this.key(org, input.iupd))) {
      return problem(
        409,
        'Conflict',
        `Failed to create debt position ${input.iupd}: it already exists for organization ${org}. Use PUT to update it or choose another iupd.`,
      );
    }
    const bad = this.checkInput(input);
    if (bad) return problem(400, 'Bad Request', `Failed to create debt position ${input.iupd}: ${bad}. Fix the body and retry.`);
    const nav = this.conflictingNav(org, input);
    if (nav)
      return problem(
        409,
        'Conflict',
        `Failed to create debt position ${input.iupd}: notice ${nav} already belongs to another position of ${org}. Use distinct IUVs.`,
      );
    const p = this.build(org, input, undefined, opts.serviceType);
    this.positions.set(this.key(org, p.iupd), p);
    if (opts.toPublish) this.publish(org, p.iupd);
    return ok(clone(this.refresh(p)));
  }

  /** `allowExpired`: an EXPIRED position may be updated too (ACA's paCreatePosition does it since June 2025, docs/aca-standin.md §2.5). */
  update(org: string, iupd: string, input: DebtPositionInput, opts: { toPublish?: boolean; allowExpired?: boolean } = {}): Outcome<DebtPosition> {
    const found = this.positions.get(this.key(org, iupd));
    if (!found) return problem(404, 'Not Found', `Failed to update debt position ${iupd}: not found for organization ${org}. Create it first with POST.`);
    this.refresh(found);
    const updatable = opts.allowExpired ? ['DRAFT', 'PUBLISHED', 'VALID', 'EXPIRED'] : ['DRAFT', 'PUBLISHED', 'VALID'];
    if (!updatable.includes(found.status)) {
      return problem(409, 'Conflict', `Failed to update debt position ${iupd}: it is ${found.status}. Only ${updatable.join(', ')} positions can be updated.`);
    }
    if (input.iupd !== iupd)
      return problem(400, 'Bad Request', `Failed to update debt position ${iupd}: the body says iupd ${input.iupd}. Send the same iupd as in the path.`);
    const bad = this.checkInput(input);
    if (bad) return problem(400, 'Bad Request', `Failed to update debt position ${iupd}: ${bad}. Fix the body and retry.`);
    const nav = this.conflictingNav(org, input, iupd);
    if (nav)
      return problem(
        409,
        'Conflict',
        `Failed to update debt position ${iupd}: notice ${nav} already belongs to another position of ${org}. Use distinct IUVs.`,
      );
    const p = this.build(org, input, found);
    this.positions.set(this.key(org, iupd), p);
    if (opts.toPublish) this.publish(org, iupd);
    return ok(clone(this.refresh(p)));
  }

  publish(org: string, iupd: string): Outcome<DebtPosition> {
    const p = this.positions.get(this.key(org, iupd));
    if (!p) return problem(404, 'Not Found', `Failed to publish debt position ${iupd}: not found for organization ${org}. Create it first.`);
    if (p.status !== 'DRAFT') return problem(409, 'Conflict', `Failed to publish debt position ${iupd}: it is ${p.status}, not DRAFT. Publish only drafts.`);
    p.status = 'PUBLISHED';
    p.publishDate = this.nowIso();
    p.lastUpdatedDate = p.publishDate;
    return ok(clone(this.refresh(p)));
  }

  invalidate(org: string, iupd: string): Outcome<DebtPosition> {
    const p = this.positions.get(this.key(org, iupd));
    if (!p) return problem(404, 'Not Found', `Failed to invalidate debt position ${iupd}: not found for organization ${org}. Check the iupd.`);
    this.refresh(p);
    if (p.status !== 'PUBLISHED' && p.status !== 'VALID') {
      return problem(409, 'Conflict', `Failed to invalidate debt position ${iupd}: it is ${p.status}. Only PUBLISHED or VALID positions can be invalidated.`);
    }
    p.status = 'INVALID';
    p.lastUpdatedDate = this.nowIso();
    return ok(clone(p));
  }

  delete(org: string, iupd: string): Outcome<{ deleted: string }> {
    const p = this.positions.get(this.key(org, iupd));
    if (!p) return problem(404, 'Not Found', `Failed to delete debt position ${iupd}: not found for organization ${org}. Check the iupd.`);
    if (p.status === 'PAID' || p.status === 'PARTIALLY_PAID') {
      return problem(409, 'Conflict', `Failed to delete debt position ${iupd}: it is ${p.status}. Paid positions are kept.`);
    }
    this.positions.delete(this.key(org, iupd));
    return ok({ deleted: iupd });
  }

  get(org: string, iupd: string): Outcome<DebtPosition> {
    const p = this.positions.get(this.key(org, iupd));
    if (!p) return problem(404, 'Not Found', `Failed to find debt position ${iupd}: not found for organization ${org}. Check the iupd.`);
    return ok(clone(this.refresh(p)));
  }

  list(org?: string, status?: PositionStatus): DebtPosition[] {
    return [...this.positions.values()]
      .filter((p) => !org || p.organizationFiscalCode === org)
      .map((p) => this.refresh(p))
      .filter((p) => !status || p.status === status)
      .map(clone);
  }

  private findRef(org: string, nav: string): OptionRef | undefined {
    for (const position of this.positions.values()) {
      if (position.organizationFiscalCode !== org) continue;
      // docs/send.md §3.3: matched by nav, and by IUV for backward compatibility.
      const option = position.paymentOption.find((o) => o.nav === nav || o.iuv === nav || `3${o.iuv}` === nav);
      if (option) return { position: this.refresh(position), option };
    }
    return undefined;
  }

  /** A copy of the option and its position by notice number only (how gpd-payments looks up ACA positions, docs/aca-standin.md §3.2 check 4). */
  findByNav(org: string, nav: string): OptionRef | undefined {
    for (const position of this.positions.values()) {
      if (position.organizationFiscalCode !== org) continue;
      const option = position.paymentOption.find((o) => o.nav === nav);
      if (option) return clone({ position: this.refresh(position), option });
    }
    return undefined;
  }

  /** A copy of the option and its position, by notice number (nav) or IUV. */
  findOption(org: string, nav: string): OptionRef | undefined {
    const ref = this.findRef(org, nav);
    return ref ? clone(ref) : undefined;
  }

  setPaymentInProgress(org: string, nav: string, on: boolean): void {
    if (on) this.inProgress.add(`${org}|${nav}`);
    else this.inProgress.delete(`${org}|${nav}`);
  }

  private isInProgress(org: string, nav: string): boolean {
    return this.inProgress.has(`${org}|${nav}`) || (this.opts.paymentInProgress?.(org, nav) ?? false);
  }

  /** PUT .../paymentoptions/{nav}/notificationfee with the semantics of docs/send.md §3.3. */
  setNotificationFee(org: string, nav: string, fee: unknown): Outcome<FeeUpdate> {
    if (typeof fee !== 'number' || !Number.isInteger(fee) || fee < 0) {
      return problem(
        400,
        'Bad Request',
        `Failed to update the notification fee of ${org}/${nav}: notificationFee must be an integer >= 0 (eurocent), got ${JSON.stringify(fee)}. Send {"notificationFee": <eurocent>}.`,
      );
    }
    const ref = this.findRef(org, nav);
    if (!ref) {
      return problem(
        404,
        'PAYMENT_OPTION_NOT_FOUND',
        `Failed to update the notification fee of ${org}/${nav}: no payment option with this notice number in GPD. Create the debt position in GPD or declare the notice SYNC.`,
      );
    }
    const { option } = ref;
    if (option.status !== 'PO_UNPAID') {
      return problem(
        422,
        'PAYMENT_OPTION_NOTIFICATION_FEE_UPDATE_NOT_UPDATABLE',
        `Failed to update the notification fee of ${org}/${nav}: Not in unpaid state for notification fee update (${option.status}).`,
      );
    }
    const primary = primaryTransfer(org, option);
    if (!primary) {
      return problem(
        422,
        'PAYMENT_OPTION_NOTIFICATION_FEE_UPDATE_TRANSFER_NOT_FOUND',
        `Failed to update the notification fee of ${org}/${nav}: no primary transfer (a transfer of ${org} itself) to carry the fee. Add a transfer for the EC.`,
      );
    }
    const previousFee = option.notificationFee;
    option.amount = option.amount - previousFee + fee;
    primary.amount = primary.amount - previousFee + fee;
    option.notificationFee = fee;
    option.lastUpdatedDateNotificationFee = this.nowIso();
    ref.position.lastUpdatedDate = option.lastUpdatedDateNotificationFee;
    const status = this.isInProgress(org, option.nav) ? 209 : 200;
    return ok({ status, option: clone(option), previousFee });
  }

  /** Whether the notice can be paid now, for verify/activate (docs/primitives.md §8.4 [GPD-PAY]). */
  payableState(org: string, nav: string): PayableState {
    const ref = this.findRef(org, nav);
    if (!ref) return { kind: 'unknown', why: `notice ${nav} of ${org} is not in GPD` };
    const copy = clone(ref);
    if (ref.option.status === 'PO_PAID' || ref.position.status === 'PAID') return { kind: 'paid', ref: copy };
    switch (ref.position.status) {
      case 'DRAFT':
      case 'PUBLISHED':
        return { kind: 'not-payable-yet', ref: copy };
      case 'EXPIRED':
        return { kind: 'expired', ref: copy };
      case 'INVALID':
        return { kind: 'invalid', ref: copy };
      default:
        return { kind: 'payable', ref: copy };
    }
  }

  /** Records a receipt: the option becomes PO_PAID and the position PAID (or PARTIALLY_PAID). */
  markPaid(
    org: string,
    nav: string,
    receipt: Omit<Receipt, 'paidAt'>,
  ): { kind: 'paid'; ref: OptionRef } | { kind: 'duplicate'; ref: OptionRef } | { kind: 'unknown' } {
    const ref = this.findRef(org, nav);
    if (!ref) return { kind: 'unknown' };
    if (ref.option.status === 'PO_PAID') return { kind: 'duplicate', ref: clone(ref) };
    ref.option.status = 'PO_PAID';
    ref.option.receipt = { ...receipt, paidAt: this.nowIso() };
    const p = ref.position;
    const plan = p.paymentOption.filter((o) => o.isPartialPayment === ref.option.isPartialPayment);
    p.status = !ref.option.isPartialPayment || plan.every((o) => o.status === 'PO_PAID') ? 'PAID' : 'PARTIALLY_PAID';
    p.lastUpdatedDate = this.nowIso();
    this.inProgress.delete(`${org}|${ref.option.nav}`);
    return { kind: 'paid', ref: clone(ref) };
  }

  clear(): void {
    this.positions.clear();
    this.inProgress.clear();
  }
}
