/** paSendRT and paSendRTV2 to GPD: the receipt marks the option paid; a second one is PAA_RECEIPT_DUPLICATA. */
import { NS } from '../../xml/schemas.ts';
import type { HandlerResult } from '../../soap/endpoint.ts';
import type { XmlObject } from '../../xml/read.ts';
import { asArray, pick } from '../../xml/read.ts';
import type { GpdStore } from '../gpdStore.ts';
import { koBody } from './faults.ts';

function receiptFee(req: XmlObject): string | undefined {
  const entries = asArray(pick(req, 'receipt.metadata.mapEntry') as XmlObject | XmlObject[] | undefined);
  const e = entries.find((m) => m['key'] === 'NOTIFICATION_FEE');
  return e ? String(e['value'] ?? '') : undefined;
}

export function paSendRT(store: GpdStore, req: XmlObject, version: 'V1' | 'V2'): HandlerResult {
  const responseElement = version === 'V1' ? 'paSendRTRes' : 'paSendRTV2Response';
  const org = String(pick(req, 'receipt.fiscalCode') ?? '');
  const nav = String(pick(req, 'receipt.noticeNumber') ?? '');
  const receiptId = String(pick(req, 'receipt.receiptId') ?? '');
  const meta = { idPA: org, noticeNumber: nav, paymentToken: receiptId, idStation: String(pick(req, 'idStation') ?? '') };
  const result = store.markPaid(org, nav, {
    receiptId,
    version,
    idPSP: pick(req, 'receipt.idPSP') as string | undefined,
    paymentAmount: pick(req, 'receipt.paymentAmount') as string | undefined,
    notificationFeeInReceipt: receiptFee(req),
  });
  if (result.kind === 'unknown') {
    const why = `notice ${nav} of ${org} is not in GPD`;
    return { kind: 'response', body: koBody(responseElement, 'PAA_PAGAMENTO_SCONOSCIUTO', org, why), notes: [`GPD: ${why}`], meta };
  }
  if (result.kind === 'duplicate') {
    const why = `receipt for notice ${nav} already stored (receiptId ${result.ref.option.receipt?.receiptId ?? '?'})`;
    return { kind: 'response', body: koBody(responseElement, 'PAA_RECEIPT_DUPLICATA', org, why), notes: [`GPD: ${why}`], meta };
  }
  return {
    kind: 'response',
    notes: [`GPD: notice ${nav} marked PO_PAID, position ${result.ref.position.iupd} ${result.ref.position.status}`],
    meta,
    body: { [`pafn:${responseElement}`]: { '@_xmlns:pafn': NS.paForNode, outcome: 'OK' } },
  };
}
