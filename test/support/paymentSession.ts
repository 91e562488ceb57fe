/**
 * A payment session as the mock Nodo's store keeps it after an activation (PAYING, EC
 * 77777777777 through its station 77777777777_01, PSP 88888888888), numbered `i`: the notice
 * `3` + i on 17 digits, the token `tokenPrefix` + i on 31. Used where a store is filled with
 * many payments without going through HTTP (test/nodo/flatCost.test.ts, bench/sessions.ts).
 */
import type { PaymentSession } from '../../src/nodo/index.ts';

const EC = '77777777777';
const STATION = '77777777777_01';

/** The notice number of payment `i`. */
export const noticeOf = (i: number): string => `3${String(i).padStart(17, '0')}`;

export function paymentSession(i: number, now: Date, tokenPrefix = 't'): PaymentSession {
  return {
    paymentToken: `${tokenPrefix}${String(i).padStart(31, '0')}`,
    fiscalCode: EC,
    noticeNumber: noticeOf(i),
    creditorReferenceId: '',
    state: 'PAYING',
    activatedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + 1_800_000).toISOString(),
    psp: { idPSP: '88888888888', idBrokerPSP: '88888888888', idChannel: '88888888888_01', businessName: 'PSP', activatePrimitive: 'activatePaymentNoticeV2' },
    activateRequest: {},
    ec: {
      idPA: EC,
      idBrokerPA: EC,
      idStation: STATION,
      association: { fiscalCode: EC, stationCode: STATION, auxDigit: 3, segregationCode: '01', broadcast: false, enabled: true },
      stationPrimitiveVersion: 2,
      getPaymentPrimitive: 'paGetPaymentV2',
    },
    data: {},
  };
}
