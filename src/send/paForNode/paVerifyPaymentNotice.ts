/** paVerifyPaymentNotice answered from the GPD store: amount including the notification fee. */
import { NS } from '../../xml/schemas.ts';
import type { HandlerResult } from '../../soap/endpoint.ts';
import type { XmlObject } from '../../xml/read.ts';
import { pick } from '../../xml/read.ts';
import { centsToAmount, dayOf } from '../gpdModel.ts';
import type { GpdStore } from '../gpdStore.ts';
import { koBody, paaCodeFor } from './faults.ts';

export function paVerifyPaymentNotice(store: GpdStore, req: XmlObject): HandlerResult {
  const org = String(pick(req, 'qrCode.fiscalCode') ?? '');
  const nav = String(pick(req, 'qrCode.noticeNumber') ?? '');
  const meta = { idPA: org, noticeNumber: nav, idStation: String(pick(req, 'idStation') ?? '') };
  const state = store.payableState(org, nav);
  const ko = paaCodeFor(state);
  if (ko || state.kind !== 'payable') {
    const { code, why } = ko ?? { code: 'PAA_SYSTEM_ERROR' as const, why: 'unexpected state' };
    return { kind: 'response', body: koBody('paVerifyPaymentNoticeRes', code, org, why), notes: [`GPD: ${why}`], meta };
  }
  const { position: p, option: o } = state.ref;
  const allCCP = o.transfer.every((t) => Boolean(t.postalIban) && !t.iban);
  return {
    kind: 'response',
    notes: [`GPD: amount ${o.amount} cents including notificationFee ${o.notificationFee}`],
    meta: { ...meta, notificationFee: o.notificationFee },
    body: {
      'pafn:paVerifyPaymentNoticeRes': {
        '@_xmlns:pafn': NS.paForNode,
        outcome: 'OK',
        paymentList: {
          paymentOptionDescription: { amount: centsToAmount(o.amount), options: 'EQ', dueDate: dayOf(o.dueDate), detailDescription: o.description, allCCP },
        },
        paymentDescription: o.description,
        fiscalCodePA: p.organizationFiscalCode,
        companyName: p.companyName,
        officeName: p.officeName,
      },
    },
  };
}
