/**
 * GPD (Gestione Posizioni Debitorie) data model, following pagoPA's pagopa-debt-position
 * resource names. Amounts are integer eurocent, as in GPD's REST API.
 */

export type PositionStatus = 'DRAFT' | 'PUBLISHED' | 'VALID' | 'INVALID' | 'EXPIRED' | 'PARTIALLY_PAID' | 'PAID';
export type OptionStatus = 'PO_UNPAID' | 'PO_PAID';

export interface MapEntry {
  key: string;
  value: string;
}

export interface Stamp {
  hashDocument: string;
  stampType: string;
  provincialResidence: string;
}

export interface TransferInput {
  idTransfer: '1' | '2' | '3' | '4' | '5';
  amount: number;
  organizationFiscalCode?: string;
  companyName?: string;
  remittanceInformation: string;
  category: string;
  iban?: string;
  postalIban?: string;
  stamp?: Stamp;
  transferMetadata?: MapEntry[];
}

export interface PaymentOptionInput {
  iuv: string;
  /** Notice number; defaults to auxDigit 3 + iuv. */
  nav?: string;
  amount: number;
  description: string;
  isPartialPayment: boolean;
  /** ISO date or date-time. */
  dueDate: string;
  retentionDate?: string;
  fee?: number;
  transfer: TransferInput[];
  paymentOptionMetadata?: MapEntry[];
}

export interface DebtPositionInput {
  iupd: string;
  type: 'F' | 'G';
  fiscalCode: string;
  fullName: string;
  companyName: string;
  officeName?: string;
  email?: string;
  validityDate?: string;
  switchToExpired?: boolean;
  /** Whether the position may be paid in stand-in (GPD default true; docs/aca-standin.md §2.4, §3.2). */
  payStandIn?: boolean;
  paymentOption: PaymentOptionInput[];
}

/** GPD `ServiceType`: `ACA` for positions conferred to the Archivio Centralizzato Avvisi (docs/aca-standin.md §1). */
export type ServiceType = 'GPD' | 'ACA';

export interface Receipt {
  receiptId: string;
  version: 'V1' | 'V2';
  paidAt: string;
  idPSP?: string;
  paymentAmount?: string;
  /** NOTIFICATION_FEE read from the receipt metadata, if any. */
  notificationFeeInReceipt?: string;
}

export interface PaymentOption extends Omit<PaymentOptionInput, 'nav'> {
  nav: string;
  /** Current amount = base amount + notificationFee. */
  amount: number;
  notificationFee: number;
  lastUpdatedDateNotificationFee?: string;
  status: OptionStatus;
  receipt?: Receipt;
}

export interface DebtPosition extends Omit<DebtPositionInput, 'paymentOption'> {
  organizationFiscalCode: string;
  /** Absent = GPD. */
  serviceType?: ServiceType;
  status: PositionStatus;
  insertedDate: string;
  publishDate?: string;
  lastUpdatedDate: string;
  paymentOption: PaymentOption[];
}

/** The transfer that carries the notification fee: lowest idTransfer of the EC itself (docs/send.md §3.3). */
export function primaryTransfer(org: string, option: { transfer: TransferInput[] }): TransferInput | undefined {
  return [...option.transfer]
    .sort((a, b) => Number(a.idTransfer) - Number(b.idTransfer))
    .find((t) => !t.organizationFiscalCode || t.organizationFiscalCode === org);
}

/** Eurocent → the decimal text of stAmount ("12.30"). */
export const centsToAmount = (cents: number): string => (cents / 100).toFixed(2);

/** The date part of an ISO date or date-time (stISODate). */
export const dayOf = (isoDateOrDateTime: string): string => isoDateOrDateTime.slice(0, 10);
