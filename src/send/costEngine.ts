/**
 * The notification cost per (iun, recIndex, creditorTaxId, noticeCode), phase by phase
 * (docs/send.md §3.2) and the price the price API returns (§4.1):
 * total = sendFee + paFee + round(Σ analog × (1 + vat/100)), half-up, in integer arithmetic.
 */
import { SEND_FEE } from './sendModel.ts';

export type CostPhase =
  | 'VALIDATION'
  | 'SEND_ANALOG_DOMICILE_ATTEMPT_0'
  | 'SEND_ANALOG_DOMICILE_ATTEMPT_1'
  | 'SEND_SIMPLE_REGISTERED_LETTER'
  | 'REQUEST_REFUSED'
  | 'NOTIFICATION_CANCELLED';

export const ANALOG_PHASES = ['SEND_ANALOG_DOMICILE_ATTEMPT_0', 'SEND_ANALOG_DOMICILE_ATTEMPT_1', 'SEND_SIMPLE_REGISTERED_LETTER'] as const;
export type AnalogPhase = (typeof ANALOG_PHASES)[number];

export interface CostItem {
  recIndex: number;
  creditorTaxId: string;
  noticeCode: string;
  applyCost: boolean;
  /** paFee + sendFee, set at VALIDATION. */
  baseCost: number;
  analog: Record<AnalogPhase, number>;
  refusedCancelled: boolean;
}

export interface NotificationPriceV23 {
  iun: string;
  partialPrice: number;
  totalPrice: number;
  vat?: number;
  paFee?: number;
  sendFee: number;
  analogCost: number;
  refinementDate?: string;
  notificationViewDate?: string;
}

/**
 * analog × (1 + vat/100) rounded half-up, in integer arithmetic: analog (eurocent) and vat
 * (percent) are integers (docs/send.md §2.1, §3.2), so the exact value is analog × (100 + vat) / 100
 * and only the remainder decides the rounding. Floating point got some rates wrong
 * (50 × 1.13 = 56.49999… → 56 instead of 57).
 */
export function costWithVat(analog: number, vat: number): number {
  if (!Number.isSafeInteger(analog) || !Number.isSafeInteger(vat) || analog < 0 || vat < 0)
    throw new RangeError(`costWithVat needs non-negative integer eurocent and percent, got analog ${analog} and vat ${vat}`);
  const hundredths = analog * (100 + vat);
  const whole = Math.floor(hundredths / 100);
  return hundredths % 100 >= 50 ? whole + 1 : whole;
}

export const totalPrice = (paFee: number, vat: number, analog: number): number => SEND_FEE + paFee + costWithVat(analog, vat);

export const analogSum = (item: CostItem): number => ANALOG_PHASES.reduce((s, p) => s + item.analog[p], 0);

export function newCostItem(recIndex: number, creditorTaxId: string, noticeCode: string, applyCost: boolean, paFee: number): CostItem {
  return {
    recIndex,
    creditorTaxId,
    noticeCode,
    applyCost,
    baseCost: paFee + SEND_FEE,
    analog: { SEND_ANALOG_DOMICILE_ATTEMPT_0: 0, SEND_ANALOG_DOMICILE_ATTEMPT_1: 0, SEND_SIMPLE_REGISTERED_LETTER: 0 },
    refusedCancelled: false,
  };
}

/** Applies a phase to an item; returns the fee to write to GPD for it (eurocent). */
export function applyPhase(item: CostItem, phase: CostPhase, vat: number, analogCost = 0): number {
  switch (phase) {
    case 'VALIDATION':
      for (const p of ANALOG_PHASES) item.analog[p] = 0;
      item.refusedCancelled = false;
      break;
    case 'REQUEST_REFUSED':
    case 'NOTIFICATION_CANCELLED':
      item.baseCost = 0;
      for (const p of ANALOG_PHASES) item.analog[p] = 0;
      item.refusedCancelled = true;
      return 0;
    default:
      item.analog[phase] = analogCost;
  }
  return feeOf(item, vat);
}

/** The fee an item currently adds to its notice. */
export function feeOf(item: CostItem, vat: number): number {
  if (item.refusedCancelled) return 0;
  return item.baseCost + costWithVat(analogSum(item), vat);
}

/** The V2.3 price body: 0/0 under FLAT_RATE or applyCost=false. */
export function priceOf(
  item: CostItem,
  n: { iun: string; policy: 'FLAT_RATE' | 'DELIVERY_MODE'; paFee: number; vat: number; refinementDate?: string; viewDate?: string },
): NotificationPriceV23 {
  const analog = analogSum(item);
  const charged = n.policy === 'DELIVERY_MODE' && item.applyCost;
  return {
    iun: n.iun,
    partialPrice: charged ? SEND_FEE + analog : 0,
    totalPrice: charged ? totalPrice(n.paFee, n.vat, analog) : 0,
    vat: n.vat,
    paFee: n.paFee,
    sendFee: SEND_FEE,
    analogCost: analog,
    ...(n.refinementDate ? { refinementDate: n.refinementDate } : {}),
    ...(n.viewDate ? { notificationViewDate: n.viewDate } : {}),
  };
}
