/**
 * paGetPayment (V1) and paGetPaymentV2 (docs/primitives.md §5.2-5.4): the same lookup, two
 * builders. V1 carries IBANs only (a stamp transfer → PAA_SEMANTICA); V2 adds transfer
 * companyName and richiestaMarcaDaBollo. Σ transferAmount = paymentAmount always.
 * transferType POSTAL selects the postal IBAN of transfers that have one.
 */
import type { BuildObject } from '../xml/index.ts';
import { ko, metadataXml, positionFor, preflight, qrCodeOf, quotedMeta, str, subjectXml, type StationHandler } from './context.ts';
import { has, UNREGISTERED_IBAN } from './defects.ts';
import { paaFault, responseBody } from './faults.ts';
import { formatCents, type Position, type Transfer } from './model.ts';
import type { Quote } from './sendPrice.ts';

function ibanOf(t: Transfer, postal: boolean): string | undefined {
  return postal && t.postalIban ? t.postalIban : (t.iban ?? t.postalIban);
}

function transferV1(t: Transfer, i: number, postal: boolean): BuildObject {
  return {
    idTransfer: String(i + 1),
    transferAmount: formatCents(t.amountCents),
    fiscalCodePA: t.fiscalCode,
    IBAN: ibanOf(t, postal),
    remittanceInformation: t.remittanceInformation,
    transferCategory: t.category,
    metadata: metadataXml(t.metadata),
  };
}

function transferV2(t: Transfer, i: number, postal: boolean): BuildObject {
  return {
    idTransfer: String(i + 1),
    transferAmount: formatCents(t.amountCents),
    fiscalCodePA: t.fiscalCode,
    companyName: t.companyName,
    IBAN: t.stamp ? undefined : ibanOf(t, postal),
    richiestaMarcaDaBollo: t.stamp
      ? { hashDocumento: t.stamp.hashDocumento, tipoBollo: t.stamp.tipoBollo, provinciaResidenza: t.stamp.provinciaResidenza }
      : undefined,
    remittanceInformation: t.remittanceInformation,
    transferCategory: t.category,
    metadata: metadataXml(t.metadata),
  };
}

/** The `data` element (ctPaymentPA / ctPaymentPAV2), fields in schema order. */
export function paymentData(p: Position, q: Quote, v2: boolean, postal: boolean): BuildObject {
  return {
    creditorReferenceId: p.iuv,
    paymentAmount: formatCents(q.amountCents),
    dueDate: p.dueDate,
    retentionDate: p.retentionDate,
    lastPayment: p.lastPayment === undefined ? undefined : String(p.lastPayment),
    description: p.description,
    companyName: p.companyName,
    officeName: p.officeName,
    debtor: subjectXml(p.debtor),
    transferList: { transfer: q.transfers.map((t, i) => (v2 ? transferV2(t, i, postal) : transferV1(t, i, postal))) },
    metadata: metadataXml(q.metadata),
  };
}

/** The payment data of a station with a data defect (defects.ts): transfers off by 1.00, an IBAN not registered. */
function brokenQuote(env: Parameters<StationHandler>[0], q: Quote): Quote {
  if (!has(env.defects, 'transfers-not-adding-up') && !has(env.defects, 'unregistered-iban')) return q;
  const transfers = q.transfers.map((t, i) => {
    if (i !== 0) return t;
    const off = has(env.defects, 'transfers-not-adding-up') ? { amountCents: t.amountCents + 100 } : {};
    const iban = has(env.defects, 'unregistered-iban') && !t.stamp ? { iban: UNREGISTERED_IBAN, postalIban: undefined } : {};
    return { ...t, ...off, ...iban };
  });
  return { ...q, transfers };
}

export const paGetPayment: StationHandler = async (env, op, msg) => {
  const v2 = op.name === 'paGetPaymentV2';
  const req = msg.bodyChild.value;
  const { fiscalCode = '', noticeNumber = '' } = qrCodeOf(req);
  const meta = { noticeNumber, idPA: fiscalCode, idStation: env.station.idStation };
  const early = preflight(env, op, msg, meta);
  if (early) return early;
  const { p, fault } = positionFor(env, fiscalCode, noticeNumber);
  if (!p) return ko(env, op, req, fault, meta);
  if (!v2 && p.transfers.some((t) => t.stamp)) {
    return ko(
      env,
      op,
      req,
      paaFault(
        'PAA_SEMANTICA',
        `notice ${noticeNumber} includes a digital stamp (richiestaMarcaDaBollo), which paGetPayment V1 cannot carry: configure the station with primitive version 2 (paGetPaymentV2)`,
      ),
      meta,
    );
  }
  const q = brokenQuote(env, await env.quote(p, op.name));
  const postal = str(req['transferType']) === 'POSTAL';
  const notes = [...q.notes];
  const asked = str(req['amount']);
  if (asked && asked !== formatCents(q.amountCents))
    notes.push(`request amount ${asked} differs from paymentAmount ${formatCents(q.amountCents)}: the EC value wins`);
  return {
    body: responseBody(op, { outcome: 'OK', data: paymentData(p, q, v2, postal) }),
    notes,
    meta: quotedMeta(meta, q),
  };
};
