/**
 * The paGetPayment[V2] `data` of a GPD payment option, built by the reference station's
 * own builder (station/paGetPayment.ts `paymentData`) from a station view of the option,
 * so the two EC implementations serialise payments the same way. NOTIFICATION_FEE goes in
 * the payment-level data/metadata (always, even 0), as GPD's adapter does.
 */
import type { BuildObject } from '../../xml/index.ts';
import { paymentData as stationPaymentData } from '../../station/index.ts';
import type { Position, Transfer } from '../../station/index.ts';
import type { Quote } from '../../station/index.ts';
import { dayOf, type MapEntry } from '../gpdModel.ts';
import type { OptionRef } from '../gpdStore.ts';

/** Payment-level metadata: the option's own entries plus NOTIFICATION_FEE. */
export function paymentMetadata(ref: OptionRef): MapEntry[] {
  return [...(ref.option.paymentOptionMetadata ?? []), { key: 'NOTIFICATION_FEE', value: String(ref.option.notificationFee) }];
}

function stationTransfers(ref: OptionRef): Transfer[] {
  const org = ref.position.organizationFiscalCode;
  return [...ref.option.transfer]
    .sort((a, b) => Number(a.idTransfer) - Number(b.idTransfer))
    .map((t) => ({
      fiscalCode: t.organizationFiscalCode ?? org,
      companyName: t.companyName,
      amountCents: t.amount,
      iban: t.iban,
      postalIban: t.postalIban,
      stamp: t.stamp ? { hashDocumento: t.stamp.hashDocument, tipoBollo: t.stamp.stampType, provinciaResidenza: t.stamp.provincialResidence } : undefined,
      remittanceInformation: t.remittanceInformation,
      category: t.category,
      metadata: t.transferMetadata ?? [],
    }));
}

/** The option as a reference-station position whose amounts already include the fee. */
function stationView(ref: OptionRef): { position: Position; quote: Quote } {
  const { position: p, option: o } = ref;
  const transfers = stationTransfers(ref);
  const position: Position = {
    fiscalCode: p.organizationFiscalCode,
    noticeNumber: o.nav,
    iuv: o.iuv,
    state: 'payable',
    description: o.description,
    companyName: p.companyName,
    officeName: p.officeName,
    dueDate: dayOf(o.dueDate),
    retentionDate: o.retentionDate && o.retentionDate.length > 10 ? o.retentionDate : undefined,
    debtor: { type: p.type, id: p.fiscalCode, fullName: p.fullName, email: p.email },
    transfers,
    metadata: o.paymentOptionMetadata ?? [],
    send: false,
  };
  return { position, quote: { amountCents: o.amount, transfers, metadata: paymentMetadata(ref), notes: [], feeCents: o.notificationFee } };
}

/** ctPaymentPA (V1) or ctPaymentPAV2 content; `postal` = request transferType POSTAL. */
export function paymentData(ref: OptionRef, version: 'V1' | 'V2', postal = false): BuildObject {
  const { position, quote } = stationView(ref);
  return stationPaymentData(position, quote, version === 'V2', postal);
}
