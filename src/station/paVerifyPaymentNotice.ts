/**
 * paVerifyPaymentNotice (docs/primitives.md §5.1): one payment option with the current
 * amount (SEND fee included for linked positions), allCCP, names. The stand-in probe
 * (notice 000000000000000000) is always PAA_PAGAMENTO_SCONOSCIUTO (§13).
 */
import { ko, positionFor, preflight, qrCodeOf, quotedMeta, type StationHandler } from './context.ts';
import { paaFault, responseBody } from './faults.ts';
import { formatCents } from './model.ts';
import { STAND_IN_PROBE } from './noticeNumber.ts';

export const paVerifyPaymentNotice: StationHandler = async (env, op, msg) => {
  const req = msg.bodyChild.value;
  const { fiscalCode = '', noticeNumber = '' } = qrCodeOf(req);
  const meta = { noticeNumber, idPA: fiscalCode, idStation: env.station.idStation };
  if (!msg.issues.length && noticeNumber === STAND_IN_PROBE) {
    return ko(env, op, req, paaFault('PAA_PAGAMENTO_SCONOSCIUTO', `notice ${STAND_IN_PROBE} not found (stand-in probe)`), meta, ['stand-in probe']);
  }
  const early = preflight(env, op, msg, meta);
  if (early) return early;
  const { p, fault } = positionFor(env, fiscalCode, noticeNumber);
  if (!p) return ko(env, op, req, fault, meta);

  const q = await env.quote(p, op.name);
  const allCCP = p.transfers.every((t) => Boolean(t.postalIban));
  const body = responseBody(op, {
    outcome: 'OK',
    paymentList: {
      paymentOptionDescription: [
        { amount: formatCents(q.amountCents), options: 'EQ', dueDate: p.dueDate, detailDescription: p.detailDescription, allCCP: String(allCCP) },
      ],
    },
    paymentDescription: p.description,
    fiscalCodePA: p.fiscalCode,
    companyName: p.companyName,
    officeName: p.officeName,
  });
  return { body, notes: q.notes, meta: quotedMeta(meta, q) };
};
