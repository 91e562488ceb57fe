/**
 * A closed payment session → the receipt component's input (src/nodo/receipts):
 * the station's data as received, the association/station ids of payment time, the PSP
 * and channel, the outcome details and the payment time.
 */
import type { ReceiptInput, PaymentData } from './receipts/index.ts';
import { outcomeDetailsFromXml } from './receipts/index.ts';
import type { PaymentSession } from './sessions.ts';

export function receiptInputOf(p: PaymentSession): ReceiptInput {
  const note = p.activateRequest['paymentNote'];
  return {
    paymentToken: p.paymentToken,
    qrCode: { fiscalCode: p.fiscalCode, noticeNumber: p.noticeNumber },
    servedBy: { idPA: p.ec.idPA, idBrokerPA: p.ec.idBrokerPA, idStation: p.ec.idStation, primitiveVersion: p.ec.stationPrimitiveVersion },
    payment: p.data as unknown as PaymentData,
    psp: {
      idPSP: p.psp.idPSP,
      idBrokerPSP: p.psp.idBrokerPSP,
      idChannel: p.psp.idChannel,
      PSPCompanyName: p.psp.businessName,
      pspFiscalCode: p.psp.fiscalCode,
      pspPartitaIVA: p.psp.vatNumber,
      channelDescription: p.psp.channelDescription,
    },
    outcome: {
      ...outcomeDetailsFromXml(p.outcome?.details, p.paymentToken),
      ...(typeof note === 'string' ? { paymentNote: note } : {}),
      paymentDateTime: p.outcome?.at.replace(/\.\d{3}Z$/, ''),
    },
    standIn: false,
  };
}
