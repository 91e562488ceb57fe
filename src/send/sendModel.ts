/**
 * SEND (pn-delivery) data model subset used by the emulator: the notification request
 * v2.6 payment fields (docs/send.md §2), request status and refusal errors.
 */

export type NotificationFeePolicy = 'FLAT_RATE' | 'DELIVERY_MODE';
export type PagoPaIntMode = 'NONE' | 'SYNC' | 'ASYNC';
export type RequestStatus = 'WAITING' | 'ACCEPTED' | 'REFUSED';

/** SEND's base cost in eurocent (config pago-pa-notification-base-cost). */
export const SEND_FEE = 100;

export interface PagoPaPayment {
  noticeCode: string;
  creditorTaxId: string;
  applyCost: boolean;
}

export interface NotificationPaymentItem {
  pagoPa?: PagoPaPayment;
  f24?: { title: string; applyCost: boolean };
}

export interface Recipient {
  recipientType: 'PF' | 'PG';
  taxId: string;
  denomination: string;
  payments?: NotificationPaymentItem[];
}

export interface NewNotificationRequest {
  paProtocolNumber: string;
  idempotenceToken?: string;
  subject: string;
  senderTaxId?: string;
  senderDenomination?: string;
  recipients: Recipient[];
  notificationFeePolicy: NotificationFeePolicy;
  paFee?: number;
  vat?: number;
  pagoPaIntMode?: PagoPaIntMode;
  [other: string]: unknown;
}

export interface SendError {
  code: string;
  element?: string;
  detail: string;
}

/** Where the Nodo really routes a notice (docs/send.md §7.1): GPD or the EC's own station. */
export type ActualMode = 'gpd' | 'station';
export type Routing = (creditorTaxId: string, noticeCode: string) => ActualMode | undefined;

/** A remark of the harness about a notification (not a SEND behaviour): mismatches worth reporting. */
export interface SendFinding {
  code: 'COST_NOT_RECOVERED' | 'MIXED_INTEGRATION_MODE';
  severity: 'error' | 'warning';
  creditorTaxId: string;
  noticeCode: string;
  message: string;
}

export interface NotificationRequestRecord {
  notificationRequestId: string;
  request: NewNotificationRequest & { pagoPaIntMode: PagoPaIntMode };
  status: RequestStatus;
  createdAt: string;
  iun?: string;
  errors: SendError[];
  /** Validation attempts done (ASYNC path). */
  attempts: number;
  nextAttemptAt?: string;
  cancelled: boolean;
  refinementDate?: string;
  viewDate?: string;
  findings: SendFinding[];
}

/** Every pagoPA payment of a request with its recipient index. */
export function pagoPaPayments(req: NewNotificationRequest): Array<{ recIndex: number; payIndex: number; payment: PagoPaPayment }> {
  return req.recipients.flatMap((r, recIndex) => (r.payments ?? []).flatMap((p, payIndex) => (p.pagoPa ? [{ recIndex, payIndex, payment: p.pagoPa }] : [])));
}

export const costKey = (creditorTaxId: string, noticeCode: string): string => `${creditorTaxId}##${noticeCode}`;
