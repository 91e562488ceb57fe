/**
 * paDemandPaymentNotice (docs/primitives.md §5.8): a spontaneous payment. The service
 * (idServizio + idSoggettoServizio) must be in the station's catalogue (else PAA_SEMANTICA); its
 * data (datiSpecificiServizioRequest) must be valid against the service's XSD (PAA_SINTASSI_XSD)
 * and give what the position needs (PAA_SEMANTICA, demandData.ts). A new payable position is
 * created with a fresh aux-3 notice number and returned as a qrCode.
 */
import { ko, preflight, str, type StationHandler } from './context.ts';
import { readDemandData } from './demandData.ts';
import { paaFault, responseBody } from './faults.ts';
import { formatCents, positionKey, type Position } from './model.ts';
import { iuvOf } from './noticeNumber.ts';

export const paDemandPaymentNotice: StationHandler = async (env, op, msg) => {
  const req = msg.bodyChild.value;
  const idPA = str(req['idPA']) ?? '';
  const idServizio = str(req['idServizio']) ?? '';
  const idSoggettoServizio = str(req['idSoggettoServizio']) ?? '';
  const meta = { idPA, idStation: env.station.idStation, idServizio, idSoggettoServizio };
  const early = preflight(env, op, msg, meta);
  if (early) return early;
  const svc = env.store.services.find(
    (s) => s.idServizio === idServizio && s.idSoggettoServizio === idSoggettoServizio && (!s.fiscalCode || s.fiscalCode === idPA),
  );
  if (!svc) {
    const known = env.store.services.map((s) => `${s.idServizio}/${s.idSoggettoServizio}`).join(', ') || 'none';
    return ko(
      env,
      op,
      req,
      paaFault('PAA_SEMANTICA', `service ${idServizio}/${idSoggettoServizio} is not in the catalogue of EC ${idPA} (known: ${known})`),
      meta,
    );
  }
  const data = readDemandData(svc, str(req['datiSpecificiServizioRequest']) ?? '');
  if (!data.ok) return ko(env, op, req, data.fault, meta);
  const noticeNumber = env.store.nextNotice(svc.segregationCode);
  const fiscalCode = svc.fiscalCode ?? idPA;
  const { amountCents, debtor, description } = data.position;
  const p: Position = {
    fiscalCode,
    noticeNumber,
    iuv: iuvOf(noticeNumber),
    state: 'payable',
    description,
    companyName: svc.companyName,
    dueDate: new Date(env.now().getTime() + 30 * 86_400_000).toISOString().slice(0, 10),
    debtor,
    transfers: [{ fiscalCode, amountCents, iban: svc.iban, remittanceInformation: description, category: svc.category, metadata: [] }],
    metadata: [],
    send: false,
  };
  env.store.positions.set(positionKey(fiscalCode, noticeNumber), p);
  const body = responseBody(op, {
    outcome: 'OK',
    qrCode: { fiscalCode, noticeNumber },
    paymentList: { paymentOptionDescription: [{ amount: formatCents(amountCents), options: 'EQ', dueDate: p.dueDate, allCCP: 'false' }] },
    paymentDescription: description,
    fiscalCodePA: fiscalCode,
    companyName: svc.companyName,
  });
  return {
    body,
    notes: [...data.notes, `spontaneous position ${noticeNumber} created for service ${idServizio}/${idSoggettoServizio}`],
    meta: { ...meta, noticeNumber },
  };
};
