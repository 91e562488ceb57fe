/**
 * The synchronous checks of POST /delivery/v2.6/requests (docs/send.md §2.3, pn-delivery's
 * NotificationReceiverValidator) and the defaults of §2.1. Returns the 400 errors; the
 * 409 (notice already in a live notification) needs the store and is checked by the caller.
 */
import { pagoPaPayments, type NewNotificationRequest, type PagoPaIntMode, type SendError } from './sendModel.ts';

const err = (detail: string): SendError => ({ code: 'PN_GENERIC_INVALIDPARAMETER', detail });

export function syncCheckErrors(req: NewNotificationRequest): SendError[] {
  const errors: SendError[] = [];
  const delivery = req.notificationFeePolicy === 'DELIVERY_MODE';
  if (delivery && (req.paFee === undefined || req.vat === undefined)) {
    errors.push(err('paFee or vat field not filled in for notification with notificationFeePolicy DELIVERY_MODE'));
  }
  req.recipients.forEach((r) => {
    const pays = r.payments ?? [];
    const pagoPa = pays.filter((p) => p.pagoPa).map((p) => p.pagoPa!);
    const f24 = pays.filter((p) => p.f24).map((p) => p.f24!);
    if (delivery && pagoPa.length && !pagoPa.some((p) => p.applyCost)) errors.push(err('PagoPA applyCostFlg must be valorized for at least one payment'));
    if (delivery && f24.length && !f24.some((p) => p.applyCost)) errors.push(err('F24 applyCostFlg must be valorized for at least one payment'));
  });
  if (!delivery && pagoPaPayments(req).some((p) => p.payment.applyCost)) errors.push(err('PagoPA applyCostFlg must not be valorized for any payment'));
  const seen = new Set<string>();
  for (const { recIndex, payIndex, payment } of pagoPaPayments(req)) {
    const iuv = `${payment.creditorTaxId}${payment.noticeCode}`;
    if (seen.has(iuv)) errors.push(err(`Duplicated iuv { ${iuv} } on recipient with index ${recIndex} in payment with index ${payIndex}`));
    seen.add(iuv);
  }
  return errors;
}

/** docs/send.md §2.1: pagoPaIntMode default (never ASYNC), vat 22 and paFee 100 when absent. */
export function withDefaults(req: NewNotificationRequest): NewNotificationRequest & { pagoPaIntMode: PagoPaIntMode } {
  const hasPayments = req.recipients.some((r) => (r.payments ?? []).length > 0);
  const mode: PagoPaIntMode = req.pagoPaIntMode ?? (!hasPayments ? 'NONE' : req.notificationFeePolicy === 'DELIVERY_MODE' ? 'SYNC' : 'NONE');
  return { ...req, pagoPaIntMode: mode, vat: req.vat ?? 22, paFee: req.paFee ?? 100 };
}
