/**
 * Receipts the harness sends to the station under test itself (as the Nodo would):
 * one carrying every optional element of its version, built from the station's own
 * paGetPayment answer; and a broadcast receipt, the payment of another EC that names one
 * of the station's broadcast ECs as beneficiary. Bodies come from the mock Nodo's
 * receipt builders, so they are the receipts a Nodo sends.
 */
import { HARNESS_PSP, generateUnknown, type ProfileEc, type StationProfile } from '../profile/index.ts';
import { receiptBody, type PaymentData, type ReceiptData, type ReceiptInput, type ReceiptPrimitive } from '../nodo/index.ts';
import type { BuildObject } from '../xml/index.ts';
import { asArray, type XmlObject } from '../xml/index.ts';

export type BuiltReceipt = { ok: true; fields: BuildObject } | { ok: false; reason: string };

const PAYER = {
  uniqueIdentifier: { entityUniqueIdentifierType: 'F', entityUniqueIdentifierValue: 'RSSMRA80A01H501U' },
  fullName: 'Mario Rossi',
  streetName: 'Via Roma',
  civicNumber: '1',
  postalCode: '00100',
  city: 'Roma',
  stateProvinceRegion: 'RM',
  country: 'IT',
  'e-mail': 'mario.rossi@example.com',
};

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

function fieldsOf(body: BuildObject): BuildObject {
  const child = Object.values(body)[0] as BuildObject;
  const { ['@_xmlns:pafn']: _ns, ...fields } = child;
  return fields;
}

function build(primitive: ReceiptPrimitive, input: ReceiptInput, header: { idPA: string; idBrokerPA: string; idStation: string }): BuiltReceipt {
  const data: ReceiptData = {
    input,
    psp: {
      idPSP: HARNESS_PSP.idPSP,
      idChannel: HARNESS_PSP.idChannel,
      PSPCompanyName: 'PSP of the station harness',
      channelDescription: 'app',
      pspFiscalCode: HARNESS_PSP.idPSP,
      pspPartitaIVA: HARNESS_PSP.idPSP,
    },
    companyName: input.payment.companyName || `EC ${input.qrCode.fiscalCode}`,
  };
  const b = receiptBody(primitive, data, header);
  return b.ok ? { ok: true, fields: fieldsOf(b.body) } : { ok: false, reason: b.reason };
}

export interface ReceiptRequest {
  primitive: ReceiptPrimitive;
  profile: StationProfile;
  fiscalCode: string;
  noticeNumber: string;
  receiptId: string;
  now: Date;
}

/** A receipt of the notice carrying every optional element of `primitive`, from the station's paGetPayment `data`. */
export function allOptionalReceipt(r: ReceiptRequest, data: XmlObject): BuiltReceipt {
  const p = structuredClone(data) as unknown as PaymentData;
  const v2 = r.primitive === 'paSendRTV2';
  p.officeName ??= 'Ufficio del Comune';
  // The debtor's optional elements too (the builder writes them in XSD order).
  p.debtor = { ...PAYER, ...p.debtor, uniqueIdentifier: p.debtor?.uniqueIdentifier ?? PAYER.uniqueIdentifier };
  p.metadata ??= { mapEntry: [{ key: 'HARNESS_KEY', value: 'every optional element' }] };
  const transfers = asArray(p.transferList?.transfer);
  for (const t of transfers) {
    if (v2) t.companyName ??= [...r.profile.ecs, ...r.profile.secondaryEcs].find((e) => e.fiscalCode === t.fiscalCodePA)?.companyName ?? `EC ${t.fiscalCodePA}`;
    t.metadata ??= { mapEntry: [{ key: 'CAPITOLO', value: '1234' }] };
  }
  const stamps = transfers
    .filter((t) => !t.IBAN)
    .map((t) => ({ idTransfer: t.idTransfer, MBDAttachment: Buffer.from('<marcaDaBollo>harness</marcaDaBollo>').toString('base64') }));
  const input: ReceiptInput = {
    paymentToken: r.receiptId,
    qrCode: { fiscalCode: r.fiscalCode, noticeNumber: r.noticeNumber },
    servedBy: { idPA: r.fiscalCode, idBrokerPA: r.profile.station.idBrokerPA, idStation: r.profile.station.idStation },
    payment: p,
    psp: { idPSP: HARNESS_PSP.idPSP, idChannel: HARNESS_PSP.idChannel },
    outcome: {
      paymentMethod: 'creditCard',
      paymentChannel: 'app',
      fee: '1.50',
      ...(v2 ? { primaryCiIncurredFee: '0.50', idBundle: 'harness-bundle-1', idCiBundle: 'harness-ci-bundle-1', paymentNote: 'harness idCart 0001' } : {}),
      payer: PAYER,
      paymentDateTime: r.now.toISOString().replace(/\.\d{3}Z$/, ''),
      applicationDate: isoDate(r.now),
      transferDate: isoDate(new Date(r.now.getTime() + 86_400_000)),
      ...(stamps.length ? { stamps } : {}),
    },
    standIn: false,
  };
  return build(r.primitive, input, { idPA: r.fiscalCode, idBrokerPA: r.profile.station.idBrokerPA, idStation: r.profile.station.idStation });
}

/** The profile's EC the station is a broadcast station of (the first), if any. */
export function broadcastEc(profile: StationProfile): ProfileEc | undefined {
  return [...profile.ecs, ...profile.secondaryEcs].find((e) => e.broadcast);
}

/**
 * A receipt the station gets as broadcast station of `ec`: the payment of another EC (a
 * notice the station does not hold) with a transfer to `ec`, addressed to `ec` (idPA).
 */
export function broadcastReceipt(
  primitive: ReceiptPrimitive,
  profile: StationProfile,
  ec: ProfileEc,
  receiptId: string,
  now: Date,
): BuiltReceipt & { fiscalCode: string; noticeNumber: string } {
  const others = [...profile.secondaryEcs, ...profile.ecs].filter((e) => e.fiscalCode !== ec.fiscalCode);
  const other: ProfileEc = others[0] ?? { fiscalCode: '99999999999', routes: [], ibans: [], postalAccounts: [], broadcast: false, at: ec.at };
  const withRoute = other.routes.length ? other : { ...other, routes: [{ auxDigit: 3 as const, segregationCode: '47' }] };
  const taken = new Set(Object.values(profile.notices).flatMap((l) => l.map((n) => n.noticeNumber)));
  const noticeNumber = generateUnknown(withRoute, taken) ?? '347999999999999999';
  const iuv = noticeNumber[0] === '0' ? noticeNumber.slice(3) : noticeNumber.slice(1);
  const payment: PaymentData = {
    creditorReferenceId: iuv,
    paymentAmount: '15.00',
    dueDate: isoDate(now),
    description: 'Pagamento con quota di un altro ente (ricevuta broadcast)',
    companyName: other.companyName ?? `EC ${other.fiscalCode}`,
    debtor: { uniqueIdentifier: { entityUniqueIdentifierType: 'F', entityUniqueIdentifierValue: 'RSSMRA80A01H501U' }, fullName: 'Mario Rossi' },
    transferList: {
      transfer: [
        {
          idTransfer: '1',
          transferAmount: '10.00',
          fiscalCodePA: other.fiscalCode,
          IBAN: other.ibans[0] ?? 'IT60X0542811101000000999999',
          remittanceInformation: 'Quota ente emittente',
          transferCategory: '9/0101100IM/',
        },
        {
          idTransfer: '2',
          transferAmount: '5.00',
          fiscalCodePA: ec.fiscalCode,
          IBAN: ec.ibans[0] ?? 'IT60X0542811101000000888888',
          remittanceInformation: 'Quota ente beneficiario',
          transferCategory: '9/0101100IM/',
        },
      ],
    },
  };
  const input: ReceiptInput = {
    paymentToken: receiptId,
    qrCode: { fiscalCode: other.fiscalCode, noticeNumber },
    servedBy: { idPA: other.fiscalCode, idBrokerPA: '99999999999', idStation: '99999999999_01' },
    payment,
    psp: { idPSP: HARNESS_PSP.idPSP, idChannel: HARNESS_PSP.idChannel },
    outcome: {
      paymentMethod: 'creditCard',
      fee: '1.00',
      paymentDateTime: now.toISOString().replace(/\.\d{3}Z$/, ''),
      applicationDate: isoDate(now),
      transferDate: isoDate(now),
    },
  };
  return {
    ...build(primitive, input, { idPA: ec.fiscalCode, idBrokerPA: profile.station.idBrokerPA, idStation: profile.station.idStation }),
    fiscalCode: other.fiscalCode,
    noticeNumber,
  };
}
