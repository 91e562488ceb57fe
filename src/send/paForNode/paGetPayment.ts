/** paGetPayment and paGetPaymentV2 answered from the GPD store (NOTIFICATION_FEE in data/metadata). */
import { NS } from '../../xml/schemas.ts';
import type { HandlerResult } from '../../soap/endpoint.ts';
import type { XmlObject } from '../../xml/read.ts';
import { pick } from '../../xml/read.ts';
import type { GpdStore } from '../gpdStore.ts';
import { paymentData } from './build.ts';
import { koBody, paaCodeFor } from './faults.ts';

export function paGetPayment(store: GpdStore, req: XmlObject, version: 'V1' | 'V2'): HandlerResult {
  const responseElement = version === 'V1' ? 'paGetPaymentRes' : 'paGetPaymentV2Response';
  const org = String(pick(req, 'qrCode.fiscalCode') ?? '');
  const nav = String(pick(req, 'qrCode.noticeNumber') ?? '');
  const meta = { idPA: org, noticeNumber: nav, idStation: String(pick(req, 'idStation') ?? '') };
  const state = store.payableState(org, nav);
  const ko = paaCodeFor(state);
  if (ko || state.kind !== 'payable') {
    const { code, why } = ko ?? { code: 'PAA_SYSTEM_ERROR' as const, why: 'unexpected state' };
    return { kind: 'response', body: koBody(responseElement, code, org, why), notes: [`GPD: ${why}`], meta };
  }
  const { option } = state.ref;
  if (version === 'V1' && option.transfer.some((t) => t.stamp)) {
    const why = `notice ${nav} has a digital-stamp transfer, which paGetPayment (V1) cannot carry`;
    return { kind: 'response', body: koBody(responseElement, 'PAA_SEMANTICA', org, why), notes: [`GPD: ${why}`], meta };
  }
  return {
    kind: 'response',
    notes: [`GPD: amount ${option.amount} cents including NOTIFICATION_FEE ${option.notificationFee}`],
    meta: { ...meta, notificationFee: option.notificationFee },
    body: { [`pafn:${responseElement}`]: { '@_xmlns:pafn': NS.paForNode, outcome: 'OK', data: paymentData(state.ref, version, pick(req, 'transferType') === 'POSTAL') } },
  };
}
