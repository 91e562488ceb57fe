/** paGetPayment and paGetPaymentV2 answered from the GPD store (NOTIFICATION_FEE in data/metadata). */
import { paForNodeResponse } from '../../soap/index.ts';
import type { HandlerResult } from '../../soap/index.ts';
import type { XmlObject } from '../../xml/index.ts';
import { pick } from '../../xml/index.ts';
import type { GpdStore } from '../gpdStore.ts';
import { paymentData } from './build.ts';
import { koBody, lookupPayable, type PayableLookup } from './faults.ts';

export function paGetPayment(store: GpdStore, req: XmlObject, version: 'V1' | 'V2', lookup: PayableLookup = lookupPayable): HandlerResult {
  const responseElement = version === 'V1' ? 'paGetPaymentRes' : 'paGetPaymentV2Response';
  const found = lookup(store, req, responseElement);
  if (!found.ok) return found.result;
  const { org, nav, meta } = found;
  const { option } = found.ref;
  if (version === 'V1' && option.transfer.some((t) => t.stamp)) {
    const why = `notice ${nav} has a digital-stamp transfer, which paGetPayment (V1) cannot carry`;
    return { kind: 'response', body: koBody(responseElement, 'PAA_SEMANTICA', org, why), notes: [`GPD: ${why}`], meta };
  }
  return {
    kind: 'response',
    notes: [`GPD: amount ${option.amount} cents including NOTIFICATION_FEE ${option.notificationFee}`],
    meta: { ...meta, notificationFee: option.notificationFee },
    body: paForNodeResponse(responseElement, { outcome: 'OK', data: paymentData(found.ref, version, pick(req, 'transferType') === 'POSTAL') }),
  };
}
