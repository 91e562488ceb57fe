/** Receipt inputs for the receipt tests: a 3-transfer, 3-EC payment and variants. */
import type { PaymentTransfer, ReceiptInput } from '../../../src/nodo/receipts/receipt.ts';

export const EC_A = '11111111111';
export const EC_B = '22222222222';
export const EC_C = '33333333333';

export function transfer(idTransfer: string, fiscalCodePA: string, amount: string, extra: Partial<PaymentTransfer> = {}): PaymentTransfer {
  return {
    idTransfer,
    transferAmount: amount,
    fiscalCodePA,
    IBAN: 'IT60X0542811101000000123456',
    remittanceInformation: `quota ${idTransfer}`,
    transferCategory: '0101101IM',
    ...extra,
  };
}

export function receiptInput(over: Partial<ReceiptInput> & { transfers?: PaymentTransfer[] } = {}): ReceiptInput {
  const transfers = over.transfers ?? [transfer('1', EC_A, '50.00'), transfer('2', EC_B, '30.00'), transfer('3', EC_C, '20.00')];
  const total = transfers.reduce((s, t) => s + Math.round(Number(t.transferAmount) * 100), 0);
  const { transfers: _t, ...rest } = over;
  return {
    paymentToken: 'c110729d258c4ab1b765fe902aae41d6',
    qrCode: { fiscalCode: EC_A, noticeNumber: '301000000000001255' },
    servedBy: { idPA: EC_A, idBrokerPA: EC_A, idStation: `${EC_A}_01`, primitiveVersion: 2 },
    payment: {
      creditorReferenceId: '01000000000001255',
      paymentAmount: (total / 100).toFixed(2),
      dueDate: '2026-12-31',
      description: 'TARI 2026 rata unica',
      companyName: 'Comune di Esempio',
      officeName: 'Ufficio tributi',
      debtor: {
        uniqueIdentifier: { entityUniqueIdentifierType: 'F', entityUniqueIdentifierValue: 'RSSMRA80A01H501U' },
        fullName: 'Mario Rossi',
        city: 'Roma',
        'e-mail': 'mario.rossi@example.org',
      },
      transferList: { transfer: transfers },
      metadata: { mapEntry: [{ key: 'NOTIFICATION_FEE', value: '100' }] },
    },
    psp: { idPSP: '88888888888', idBrokerPSP: '88888888888', idChannel: '88888888888_01' },
    outcome: {
      paymentMethod: 'creditCard',
      paymentChannel: 'app',
      fee: '2.00',
      primaryCiIncurredFee: '0.50',
      idBundle: '1',
      idCiBundle: '2',
      payer: { uniqueIdentifier: { entityUniqueIdentifierType: 'F', entityUniqueIdentifierValue: 'VRDGPP80A01H501U' }, fullName: 'Giuseppe Verdi' },
      paymentNote: 'idCart-123',
      paymentDateTime: '2026-01-15T10:00:00',
      applicationDate: '2026-01-15',
      transferDate: '2026-01-16',
    },
    standIn: false,
    ...rest,
  };
}
