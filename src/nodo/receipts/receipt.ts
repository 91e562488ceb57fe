/**
 * The receipt data model and the builders of the two receipt Body children
 * (paSendRTReq, paSendRTV2Request), fields in XSD order (docs/primitives.md §5.5-5.7,
 * §15, §17.9). The body is the same for every recipient; only the header triple
 * (idPA, idBrokerPA, idStation) names the recipient association (§10.1).
 */
import type { BuildObject } from '../../xml/index.ts';
import { asArray, type XmlObject } from '../../xml/index.ts';
import { NS } from '../../xml/index.ts';
import { PREFIX } from '../../soap/index.ts';

export interface EntityUniqueIdentifier {
  entityUniqueIdentifierType: string;
  entityUniqueIdentifierValue: string;
}

/** ctSubject (debtor, payer), as read by xml/read.ts. */
export interface Subject {
  uniqueIdentifier: EntityUniqueIdentifier;
  fullName: string;
  streetName?: string;
  civicNumber?: string;
  postalCode?: string;
  city?: string;
  stateProvinceRegion?: string;
  country?: string;
  'e-mail'?: string;
}

export interface MapEntry {
  key: string;
  value: string;
}

/** ctMetadata: 1..15 key/value pairs. */
export interface Metadata {
  mapEntry: MapEntry[];
}

export interface StampRequest {
  hashDocumento: string;
  tipoBollo: string;
  provinciaResidenza: string;
}

/** A transfer as the station gave it in paGetPayment (ctTransferPA) or paGetPaymentV2 (ctTransferPAV2). */
export interface PaymentTransfer {
  idTransfer: string;
  transferAmount: string;
  fiscalCodePA: string;
  companyName?: string;
  IBAN?: string;
  richiestaMarcaDaBollo?: StampRequest;
  remittanceInformation: string;
  transferCategory: string;
  metadata?: Metadata;
}

/**
 * The `data` of a valid paGetPayment[V2] response. `pick(body, 'data')` of the parsed,
 * validated response has exactly this shape (xml/read.ts keeps strings, arrays for
 * transfer and mapEntry), so the Nodo passes it as is.
 */
export interface PaymentData {
  creditorReferenceId: string;
  paymentAmount: string;
  dueDate?: string;
  description: string;
  companyName?: string;
  officeName?: string;
  debtor: Subject;
  transferList: { transfer: PaymentTransfer[] };
  /** Payment-level metadata, e.g. NOTIFICATION_FEE (SEND), copied into the receipt. */
  metadata?: Metadata;
}

/** A digital stamp from sendPaymentOutcomeV2 details/marcheDaBollo (§15). */
export interface Stamp {
  idTransfer: string;
  /** base64 of the Agenzia Entrate marcaDaBollo XML. */
  MBDAttachment: string;
}

/** Outcome details of sendPaymentOutcome[V2] plus what the Nodo knows of the payment. */
export interface OutcomeDetails {
  paymentMethod?: string;
  paymentChannel?: string;
  fee?: string;
  primaryCiIncurredFee?: string;
  idBundle?: string;
  idCiBundle?: string;
  payer?: Subject;
  /** Checkout idCart (paGetPayment request paymentNote); V2 receipts only. */
  paymentNote?: string;
  /** ISO date-time of the payment (the Nodo's clock when the OK outcome arrived). */
  paymentDateTime?: string;
  applicationDate?: string;
  transferDate?: string;
  stamps?: Stamp[];
}

/** PSP and channel: ids are mandatory; names missing here are taken from the registry at delivery. */
export interface PspData {
  idPSP: string;
  idBrokerPSP?: string;
  idChannel: string;
  PSPCompanyName?: string;
  pspFiscalCode?: string;
  pspPartitaIVA?: string;
  channelDescription?: string;
}

/** The association and station that served paGetPayment, with the ids of payment time. */
export interface ServedBy {
  idPA: string;
  idBrokerPA: string;
  idStation: string;
  /** Version of paGetPayment used (1 or 2); absent → the station's configuration at delivery. */
  primitiveVersion?: 1 | 2;
}

export interface ReceiptInput {
  /** Also the receiptId. */
  paymentToken: string;
  qrCode: { fiscalCode: string; noticeNumber: string };
  servedBy: ServedBy;
  payment: PaymentData;
  psp: PspData;
  outcome: OutcomeDetails;
  standIn?: boolean;
}

/** The PSP fields the receipt needs, all resolved. */
export type ResolvedPsp = Required<Pick<PspData, 'idPSP' | 'idChannel' | 'PSPCompanyName' | 'channelDescription'>> &
  Pick<PspData, 'pspFiscalCode' | 'pspPartitaIVA'>;

/** Everything a receipt body needs, after the registry filled the gaps. */
export interface ReceiptData {
  input: ReceiptInput;
  psp: ResolvedPsp;
  /** receipt/companyName: mandatory in both receipts, optional in paGetPayment V1 (§17.4). */
  companyName: string;
}

export interface Header {
  idPA: string;
  idBrokerPA: string;
  idStation: string;
}

export type ReceiptPrimitive = 'paSendRT' | 'paSendRTV2';

export type BuiltBody = { ok: true; body: BuildObject } | { ok: false; reason: string };

function subject(s: Subject | undefined): BuildObject | undefined {
  if (!s) return undefined;
  return {
    uniqueIdentifier: {
      entityUniqueIdentifierType: s.uniqueIdentifier.entityUniqueIdentifierType,
      entityUniqueIdentifierValue: s.uniqueIdentifier.entityUniqueIdentifierValue,
    },
    fullName: s.fullName,
    streetName: s.streetName,
    civicNumber: s.civicNumber,
    postalCode: s.postalCode,
    city: s.city,
    stateProvinceRegion: s.stateProvinceRegion,
    country: s.country,
    'e-mail': s['e-mail'],
  };
}

function metadata(m: Metadata | undefined): BuildObject | undefined {
  const entries = asArray(m?.mapEntry);
  return entries.length ? { mapEntry: entries.map((e) => ({ key: e.key, value: e.value })) } : undefined;
}

/** The part of ctReceipt/ctReceiptV2 before transferList (identical in both). */
function receiptHead(d: ReceiptData): BuildObject {
  const { input } = d;
  const p = input.payment;
  return {
    receiptId: input.paymentToken,
    noticeNumber: input.qrCode.noticeNumber,
    fiscalCode: input.qrCode.fiscalCode,
    outcome: 'OK',
    creditorReferenceId: p.creditorReferenceId,
    paymentAmount: p.paymentAmount,
    description: p.description,
    companyName: d.companyName,
    officeName: p.officeName,
    debtor: subject(p.debtor),
  };
}

function pspFields(d: ReceiptData): BuildObject {
  return {
    idPSP: d.psp.idPSP,
    pspFiscalCode: d.psp.pspFiscalCode,
    pspPartitaIVA: d.psp.pspPartitaIVA,
    PSPCompanyName: d.psp.PSPCompanyName,
    idChannel: d.psp.idChannel,
    channelDescription: d.psp.channelDescription,
  };
}

const transfersOf = (d: ReceiptData): PaymentTransfer[] => asArray(d.input.payment.transferList?.transfer);

function envelopeChild(element: string, header: Header, receipt: BuildObject): BuildObject {
  return {
    [`${PREFIX.paForNode}:${element}`]: {
      [`@_xmlns:${PREFIX.paForNode}`]: NS.paForNode,
      idPA: header.idPA,
      idBrokerPA: header.idBrokerPA,
      idStation: header.idStation,
      receipt,
    },
  };
}

/**
 * paSendRTReq (ctReceipt). V1 transfers have no stamp and no companyName: a payment
 * with a stamp transfer cannot be expressed, so no body is built and the reason says why
 * (the recipient gets nothing rather than a receipt whose transfers do not add up).
 */
export function paSendRTReqBody(d: ReceiptData, header: Header): BuiltBody {
  const transfers = transfersOf(d);
  const stamp = transfers.find((t) => !t.IBAN);
  if (stamp) {
    return {
      ok: false,
      reason: `paSendRT (V1) cannot carry the digital stamp of transfer ${stamp.idTransfer} (ctTransferPA has IBAN only, no MBDAttachment); configure the station with primitiveVersion 2 to receive stamp receipts`,
    };
  }
  const o = d.input.outcome;
  const receipt: BuildObject = {
    ...receiptHead(d),
    transferList: {
      transfer: transfers.map((t) => ({
        idTransfer: t.idTransfer,
        transferAmount: t.transferAmount,
        fiscalCodePA: t.fiscalCodePA,
        IBAN: t.IBAN,
        remittanceInformation: t.remittanceInformation,
        transferCategory: t.transferCategory,
        metadata: metadata(t.metadata),
      })),
    },
    ...pspFields(d),
    payer: subject(o.payer),
    paymentMethod: o.paymentMethod,
    fee: o.fee,
    paymentDateTime: o.paymentDateTime,
    applicationDate: o.applicationDate,
    transferDate: o.transferDate,
    metadata: metadata(d.input.payment.metadata),
    standIn: d.input.standIn === undefined ? undefined : String(d.input.standIn),
  };
  return { ok: true, body: envelopeChild('paSendRTReq', header, receipt) };
}

/** paSendRTV2Request (ctReceiptV2): stamps become MBDAttachment from the PSP's marcheDaBollo. */
export function paSendRTV2RequestBody(d: ReceiptData, header: Header): BuiltBody {
  const o = d.input.outcome;
  const stamps = asArray(o.stamps);
  const transfers: BuildObject[] = [];
  for (const t of transfersOf(d)) {
    let target: BuildObject = { IBAN: t.IBAN };
    if (!t.IBAN) {
      const stamp = stamps.find((s) => s.idTransfer === t.idTransfer);
      if (!stamp) {
        return {
          ok: false,
          reason: `transfer ${t.idTransfer} is a digital stamp but the PSP's outcome has no marcaDaBollo for idTransfer ${t.idTransfer}, so its MBDAttachment is unknown`,
        };
      }
      target = { MBDAttachment: stamp.MBDAttachment };
    }
    transfers.push({
      idTransfer: t.idTransfer,
      transferAmount: t.transferAmount,
      fiscalCodePA: t.fiscalCodePA,
      companyName: t.companyName,
      ...target,
      remittanceInformation: t.remittanceInformation,
      transferCategory: t.transferCategory,
      metadata: metadata(t.metadata),
    });
  }
  const receipt: BuildObject = {
    ...receiptHead(d),
    transferList: { transfer: transfers },
    ...pspFields(d),
    payer: subject(o.payer),
    paymentMethod: o.paymentMethod,
    paymentNote: o.paymentNote,
    fee: o.fee,
    primaryCiIncurredFee: o.primaryCiIncurredFee,
    idBundle: o.idBundle,
    idCiBundle: o.idCiBundle,
    paymentDateTime: o.paymentDateTime,
    applicationDate: o.applicationDate,
    transferDate: o.transferDate,
    metadata: metadata(d.input.payment.metadata),
    standIn: d.input.standIn === undefined ? undefined : String(d.input.standIn),
  };
  return { ok: true, body: envelopeChild('paSendRTV2Request', header, receipt) };
}

export function receiptBody(primitive: ReceiptPrimitive, d: ReceiptData, header: Header): BuiltBody {
  return primitive === 'paSendRTV2' ? paSendRTV2RequestBody(d, header) : paSendRTReqBody(d, header);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * Outcome details from a validated sendPaymentOutcome[V2] request's `details` object;
 * only the stamps of `paymentToken` are kept (a V2 outcome may close several tokens).
 */
export function outcomeDetailsFromXml(details: XmlObject | undefined, paymentToken: string): OutcomeDetails {
  if (!details || typeof details !== 'object') return {};
  const stampList = (details['marcheDaBollo'] as XmlObject | undefined)?.['marcaDaBollo'];
  const stamps = asArray(stampList as XmlObject[] | undefined)
    .filter((s) => str(s['paymentToken']) === paymentToken)
    .map((s) => ({ idTransfer: str(s['idTransfer']) ?? '', MBDAttachment: str(s['MBDAttachment']) ?? '' }));
  return {
    paymentMethod: str(details['paymentMethod']),
    paymentChannel: str(details['paymentChannel']),
    fee: str(details['fee']),
    primaryCiIncurredFee: str(details['primaryCiIncurredFee']),
    idBundle: str(details['idBundle']),
    idCiBundle: str(details['idCiBundle']),
    payer: details['payer'] as unknown as Subject | undefined,
    applicationDate: str(details['applicationDate']),
    transferDate: str(details['transferDate']),
    ...(stamps.length ? { stamps } : {}),
  };
}
