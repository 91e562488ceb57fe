/**
 * paDemandPaymentNotice answered by GPD (docs/primitives.md §5.8): a spontaneous payment for a service
 * GPD holds (gpd.addService). The service data is validated against the service's own XSD and
 * read like the reference station does (station/demandData.ts: PAA_SINTASSI_XSD, PAA_SEMANTICA);
 * a new debt position is created and published in the store with a fresh aux-3 notice number of
 * the service's segregation code, so the Nodo routes its activation back to GPD.
 */
import type { HandlerResult } from '../../soap/index.ts';
import { readDemandData } from '../../station/index.ts';
import type { DemandService } from '../../station/index.ts';
import { makeNoticeNumber } from '../../station/index.ts';
import { paForNodeResponse } from '../../soap/index.ts';
import type { XmlObject } from '../../xml/index.ts';
import { centsToAmount } from '../gpdModel.ts';
import type { GpdStore } from '../gpdStore.ts';
import { koBody, type PaaCode } from './faults.ts';

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** The next free notice number of `org` with this segregation code (a high base: never a hand-written one). */
function nextNav(store: GpdStore, org: string, segregationCode: string): string {
  for (let n = 9_000_000_000_000; ; n++) {
    const r = makeNoticeNumber({ auxDigit: 3, segregationCode, base: String(n) });
    if (r.ok && !store.findOption(org, r.noticeNumber)) return r.noticeNumber;
  }
}

export function paDemandPaymentNotice(store: GpdStore, services: readonly DemandService[], req: XmlObject, now: Date): HandlerResult {
  const idPA = str(req['idPA']);
  const idServizio = str(req['idServizio']);
  const idSoggettoServizio = str(req['idSoggettoServizio']);
  const meta = { idPA, idServizio, idSoggettoServizio };
  const ko = (code: PaaCode, why: string): HandlerResult => ({
    kind: 'response',
    body: koBody('paDemandPaymentNoticeResponse', code, idPA, why),
    notes: [`${code}: ${why}`],
    meta,
  });
  const svc = services.find((s) => s.idServizio === idServizio && s.idSoggettoServizio === idSoggettoServizio && (!s.fiscalCode || s.fiscalCode === idPA));
  if (!svc)
    return ko(
      'PAA_SEMANTICA',
      `service ${idServizio}/${idSoggettoServizio} is not held by GPD for EC ${idPA} (known: ${services.map((s) => `${s.idServizio}/${s.idSoggettoServizio}`).join(', ') || 'none'})`,
    );
  const data = readDemandData(svc, str(req['datiSpecificiServizioRequest']));
  if (!data.ok) return ko(data.fault.faultCode as PaaCode, data.fault.description);
  const org = svc.fiscalCode ?? idPA;
  const nav = nextNav(store, org, svc.segregationCode);
  const { amountCents, debtor, description } = data.position;
  const dueDate = new Date(now.getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
  const created = store.create(
    org,
    {
      iupd: `SPONTANEOUS-${nav}`,
      type: debtor.type,
      fiscalCode: debtor.id,
      fullName: debtor.fullName,
      companyName: svc.companyName,
      paymentOption: [
        {
          iuv: nav.slice(1),
          nav,
          amount: amountCents,
          description,
          isPartialPayment: false,
          dueDate,
          transfer: [{ idTransfer: '1', amount: amountCents, remittanceInformation: description, category: svc.category, iban: svc.iban }],
        },
      ],
    },
    { toPublish: true },
  );
  if (!created.ok) return ko('PAA_SYSTEM_ERROR', `GPD could not create the position: ${created.problem.detail}`);
  return {
    kind: 'response',
    notes: [...data.notes, `GPD: spontaneous position ${created.value.iupd} created, notice ${nav}`],
    meta: { ...meta, noticeNumber: nav },
    body: paForNodeResponse('paDemandPaymentNoticeResponse', {
      outcome: 'OK',
      qrCode: { fiscalCode: org, noticeNumber: nav },
      paymentList: { paymentOptionDescription: { amount: centsToAmount(amountCents), options: 'EQ', dueDate, allCCP: false } },
      paymentDescription: description,
      fiscalCodePA: org,
      companyName: svc.companyName,
    }),
  };
}
