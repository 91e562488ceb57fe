/**
 * Builders of the paForNode response content from a GPD payment option, in schema
 * order (xsd/paForNode.xsd ctSubject, ctTransferPA[V2], ctPaymentPA[V2]).
 * NOTIFICATION_FEE goes in the payment-level data/metadata, as GPD's adapter does.
 */
import type { BuildObject } from '../../xml/build.ts';
import { centsToAmount, dayOf, type MapEntry, type TransferInput } from '../gpdModel.ts';
import type { OptionRef } from '../gpdStore.ts';

export function metadataObject(entries: MapEntry[] | undefined): BuildObject | undefined {
  if (!entries?.length) return undefined;
  return { mapEntry: entries.map((e) => ({ key: e.key, value: e.value })) };
}

export function debtorObject(ref: OptionRef): BuildObject {
  const p = ref.position;
  return {
    uniqueIdentifier: { entityUniqueIdentifierType: p.type, entityUniqueIdentifierValue: p.fiscalCode },
    fullName: p.fullName,
    'e-mail': p.email,
  };
}

/** The IBAN to put in a V1 transfer or in a V2 transfer without stamp. */
const ibanOf = (t: TransferInput): string | undefined => t.iban ?? t.postalIban;

export function transferV1(org: string, t: TransferInput): BuildObject {
  return {
    idTransfer: t.idTransfer,
    transferAmount: centsToAmount(t.amount),
    fiscalCodePA: t.organizationFiscalCode ?? org,
    IBAN: ibanOf(t),
    remittanceInformation: t.remittanceInformation,
    transferCategory: t.category,
    metadata: metadataObject(t.transferMetadata),
  };
}

export function transferV2(org: string, t: TransferInput): BuildObject {
  return {
    idTransfer: t.idTransfer,
    transferAmount: centsToAmount(t.amount),
    fiscalCodePA: t.organizationFiscalCode ?? org,
    companyName: t.companyName,
    ...(t.stamp
      ? { richiestaMarcaDaBollo: { hashDocumento: t.stamp.hashDocument, tipoBollo: t.stamp.stampType, provinciaResidenza: t.stamp.provincialResidence } }
      : { IBAN: ibanOf(t) }),
    remittanceInformation: t.remittanceInformation,
    transferCategory: t.category,
    metadata: metadataObject(t.transferMetadata),
  };
}

/** Payment-level metadata: the option's own entries plus NOTIFICATION_FEE (always, even 0). */
export function paymentMetadata(ref: OptionRef): MapEntry[] {
  return [...(ref.option.paymentOptionMetadata ?? []), { key: 'NOTIFICATION_FEE', value: String(ref.option.notificationFee) }];
}

const byId = (a: TransferInput, b: TransferInput) => Number(a.idTransfer) - Number(b.idTransfer);

/** ctPaymentPA (V1) or ctPaymentPAV2 content. */
export function paymentData(ref: OptionRef, version: 'V1' | 'V2'): BuildObject {
  const { position: p, option: o } = ref;
  const org = p.organizationFiscalCode;
  const transfers = [...o.transfer].sort(byId).map((t) => (version === 'V1' ? transferV1(org, t) : transferV2(org, t)));
  return {
    creditorReferenceId: o.iuv,
    paymentAmount: centsToAmount(o.amount),
    dueDate: dayOf(o.dueDate),
    retentionDate: o.retentionDate && o.retentionDate.length > 10 ? o.retentionDate.replace(/(\.\d+)?(Z|[+-]\d{2}:\d{2})$/, '') : undefined,
    description: o.description,
    companyName: p.companyName,
    officeName: p.officeName,
    debtor: debtorObject(ref),
    transferList: { transfer: transfers },
    metadata: metadataObject(paymentMetadata(ref)),
  };
}
