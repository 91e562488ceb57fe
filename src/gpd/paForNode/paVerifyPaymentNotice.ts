/** paVerifyPaymentNotice answered from the GPD store: amount including the notification fee. */
import { paForNodeResponse } from '../../soap/index.ts';
import type { HandlerResult } from '../../soap/index.ts';
import type { XmlObject } from '../../xml/index.ts';
import { centsToAmount, dayOf } from '../gpdModel.ts';
import type { GpdStore } from '../gpdStore.ts';
import { lookupPayable, type PayableLookup } from './faults.ts';

export function paVerifyPaymentNotice(store: GpdStore, req: XmlObject, lookup: PayableLookup = lookupPayable): HandlerResult {
  const found = lookup(store, req, 'paVerifyPaymentNoticeRes');
  if (!found.ok) return found.result;
  const { meta } = found;
  const { position: p, option: o } = found.ref;
  const allCCP = o.transfer.every((t) => Boolean(t.postalIban) && !t.iban);
  return {
    kind: 'response',
    notes: [`GPD: amount ${o.amount} cents including notificationFee ${o.notificationFee}`],
    meta: { ...meta, notificationFee: o.notificationFee },
    body: paForNodeResponse('paVerifyPaymentNoticeRes', {
      outcome: 'OK',
      paymentList: {
        paymentOptionDescription: { amount: centsToAmount(o.amount), options: 'EQ', dueDate: dayOf(o.dueDate), detailDescription: o.description, allCCP },
      },
      paymentDescription: o.description,
      fiscalCodePA: p.organizationFiscalCode,
      companyName: p.companyName,
      officeName: p.officeName,
    }),
  };
}
