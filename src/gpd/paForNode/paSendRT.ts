/** paSendRT and paSendRTV2 to GPD: the receipt marks the option paid; a second one is PAA_RECEIPT_DUPLICATA. */
import { paForNodeResponse } from '../../soap/index.ts';
import type { HandlerResult } from '../../soap/index.ts';
import type { XmlObject } from '../../xml/index.ts';
import { asArray, pick } from '../../xml/index.ts';
import type { GpdStore } from '../gpdStore.ts';
import { receiptRow, type GpdReceipts } from '../gpdReceipts.ts';
import { koBody } from './faults.ts';

function receiptFee(req: XmlObject): string | undefined {
  const entries = asArray(pick(req, 'receipt.metadata.mapEntry') as XmlObject | XmlObject[] | undefined);
  const e = entries.find((m) => m['key'] === 'NOTIFICATION_FEE');
  return e ? String(e['value'] ?? '') : undefined;
}

/**
 * The receipt marks the option paid; a row goes to the receipts table (gpdReceipts.ts) for
 * a GPD position, and for an ACA position only when the receipt says standIn true (§5.1).
 */
export function paSendRT(store: GpdStore, req: XmlObject, version: 'V1' | 'V2', receipts?: GpdReceipts): HandlerResult {
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
  const notes = [`GPD: notice ${nav} marked PO_PAID, position ${result.ref.position.iupd} ${result.ref.position.status}`];
  if (receipts) {
    const standIn = pick(req, 'receipt.standIn') === 'true';
    if (result.ref.position.serviceType === 'ACA' && !standIn) notes.push('GPD: ACA position paid outside stand-in: no row in the receipts table');
    else if (receipts.add(receiptRow(req, version))) notes.push(`GPD: receipt stored for ${org}/${String(pick(req, 'receipt.creditorReferenceId') ?? '')}`);
  }
  return {
    kind: 'response',
    notes,
    meta,
    body: paForNodeResponse(responseElement, { outcome: 'OK' }),
  };
}
