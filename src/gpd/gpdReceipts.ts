/**
 * GPD's receipts table (pagopa-gpd-payments, docs/aca-standin.md §5.1): one row per (EC, IUV)
 * written when a paSendRT[V2] takes a GPD option to PO_PAID (for an ACA position only
 * when the receipt says `standIn` true), holding the debtor, the payment date-time as
 * text, the status and the receipt request re-marshalled without envelope (root
 * `paSendRTReq` for V1, `PaSendRTV2Request` for V2, as gpd-payments' JAXB marshal does).
 */
import { buildXml, type BuildObject } from '../xml/index.ts';
import type { XmlObject } from '../xml/index.ts';
import { pick } from '../xml/index.ts';
import { NS } from '../xml/index.ts';

export interface ReceiptRow {
  organizationFiscalCode: string;
  iuv: string;
  /** The debtor's entityUniqueIdentifierValue. */
  debtor: string;
  /** `paymentDateTime` of the receipt, as text (local date-time). */
  paymentDateTime: string;
  status: 'PAID';
  /** The stored document: the receipt request as XML, no SOAP envelope. */
  document: string;
}

/** The stored document of a paSendRT[V2] request (its Body child as read by xml/read.ts). */
export function receiptDocument(request: XmlObject, version: 'V1' | 'V2'): string {
  const root = version === 'V1' ? 'paSendRTReq' : 'PaSendRTV2Request';
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${buildXml({ [`ns2:${root}`]: { '@_xmlns:ns2': NS.paForNode, ...(request as BuildObject) } })}`;
}

/** The row of a paSendRT[V2] request (IUV = the receipt's creditorReferenceId). */
export function receiptRow(request: XmlObject, version: 'V1' | 'V2'): ReceiptRow {
  const s = (path: string) => {
    const v = pick(request, path);
    return typeof v === 'string' ? v : '';
  };
  return {
    organizationFiscalCode: s('receipt.fiscalCode'),
    iuv: s('receipt.creditorReferenceId'),
    debtor: s('receipt.debtor.uniqueIdentifier.entityUniqueIdentifierValue'),
    paymentDateTime: s('receipt.paymentDateTime'),
    status: 'PAID',
    document: receiptDocument(request, version),
  };
}

export class GpdReceipts {
  private readonly rows = new Map<string, ReceiptRow>();
  private key = (fc: string, iuv: string) => `${fc}|${iuv}`;

  /** Stores a row; false when one exists for the same (EC, IUV). */
  add(row: ReceiptRow): boolean {
    const k = this.key(row.organizationFiscalCode, row.iuv);
    if (this.rows.has(k)) return false;
    this.rows.set(k, { ...row });
    return true;
  }

  get(fc: string, iuv: string): ReceiptRow | undefined {
    const r = this.rows.get(this.key(fc, iuv));
    return r ? { ...r } : undefined;
  }

  /** Rows of one EC in table order (IUV ascending). */
  of(fc: string): ReceiptRow[] {
    return [...this.rows.values()]
      .filter((r) => r.organizationFiscalCode === fc)
      .sort((a, b) => (a.iuv < b.iuv ? -1 : a.iuv > b.iuv ? 1 : 0))
      .map((r) => ({ ...r }));
  }

  all(): ReceiptRow[] {
    return [...this.rows.values()].map((r) => ({ ...r }));
  }

  clear(): void {
    this.rows.clear();
  }
}
