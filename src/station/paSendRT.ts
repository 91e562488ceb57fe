/**
 * paSendRT and paSendRTV2 (docs/primitives.md §5.5-5.7, §10): store the receipt once per
 * (station, recipient EC, receiptId), mark a held position paid; the same receipt again →
 * PAA_RECEIPT_DUPLICATA. A receipt for a notice this station does not hold (broadcast)
 * is accepted and stored, never rejected as unknown.
 */
import { ko, preflight, str, type StationHandler } from './context.ts';
import { has, REJECTED_RECEIPT_FIELD } from './defects.ts';
import { paaFault, responseBody } from './faults.ts';
import type { StoredReceipt } from './model.ts';
import { findPosition, receiptKey } from './store.ts';
import type { XmlObject } from '../xml/index.ts';

export const paSendRT: StationHandler = async (env, op, msg) => {
  const req = msg.bodyChild.value;
  const receipt = (req['receipt'] ?? {}) as XmlObject;
  const receiptId = str(receipt['receiptId']) ?? '';
  const noticeNumber = str(receipt['noticeNumber']) ?? '';
  const fiscalCode = str(receipt['fiscalCode']) ?? '';
  const idPA = str(req['idPA']) ?? '';
  const meta = { noticeNumber, idPA, idStation: env.station.idStation, receiptId };
  const early = preflight(env, op, msg, meta);
  if (early) return early;

  if (has(env.defects, 'rejects-receipt-field') && receipt[REJECTED_RECEIPT_FIELD] !== undefined) {
    return ko(env, op, req, paaFault('PAA_SINTASSI_EXTRAXSD', `unexpected element ${REJECTED_RECEIPT_FIELD} in the receipt`), meta, [
      'defect rejects-receipt-field',
    ]);
  }
  if (has(env.defects, 'rejects-standin-receipts') && str(receipt['standIn']) === 'true') {
    return ko(
      env,
      op,
      req,
      paaFault('PAA_PAGAMENTO_SCONOSCIUTO', `receipt ${receiptId} is for a payment this station never served (standIn true): refused`),
      meta,
      ['defect rejects-standin-receipts'],
    );
  }
  const key = receiptKey(env.station.idStation, idPA, receiptId);
  const duplicate = has(env.defects, 'accepts-duplicate-receipt') ? undefined : env.store.receipts.get(key);
  if (duplicate) {
    return ko(
      env,
      op,
      req,
      paaFault('PAA_RECEIPT_DUPLICATA', `receipt ${receiptId} for notice ${noticeNumber} was already acquired at ${duplicate.receivedAt}`),
      meta,
    );
  }
  const p = findPosition(env.store, env.station.idStation, fiscalCode, noticeNumber);
  const stored: StoredReceipt = {
    station: env.station.idStation,
    idPA,
    idBrokerPA: str(req['idBrokerPA']) ?? '',
    receiptId,
    noticeNumber,
    fiscalCode,
    version: op.name === 'paSendRTV2' ? 2 : 1,
    broadcast: !p,
    receivedAt: env.now().toISOString(),
    paymentAmount: str(receipt['paymentAmount']) ?? '',
    receipt: structuredClone(receipt),
  };
  env.store.receipts.set(key, stored);
  const notes: string[] = [];
  if (p && str(receipt['outcome']) === 'OK' && has(env.defects, 'stateless')) {
    notes.push('defect stateless: the notice is not marked paid');
  } else if (p && str(receipt['outcome']) === 'OK') {
    if (p.state !== 'paid') notes.push(`notice ${noticeNumber} of EC ${fiscalCode} marked paid (was ${p.state})`);
    p.state = 'paid';
  } else if (!p) {
    notes.push(`broadcast receipt: notice ${noticeNumber} of EC ${fiscalCode} is not held by this station; stored for EC ${idPA}`);
  }
  return { body: responseBody(op, { outcome: 'OK' }), notes, meta: { ...meta, broadcast: !p } };
};
