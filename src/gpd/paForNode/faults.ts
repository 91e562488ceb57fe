/**
 * KO answers of the GPD-backed paForNode port: PAA_* fault beans (id = the EC's fiscal
 * code) and the mapping of GPD states to PAA codes of docs/primitives.md §8.4 [GPD].
 */
import type { BuildObject } from '../../xml/index.ts';
import { paaKoBody } from '../../soap/index.ts';
import type { GpdStore, OptionRef, PayableState } from '../gpdStore.ts';
import type { HandlerResult } from '../../soap/index.ts';
import { pick, type XmlObject } from '../../xml/index.ts';

export type PaaCode =
  | 'PAA_SINTASSI_EXTRAXSD'
  | 'PAA_SINTASSI_XSD'
  | 'PAA_SEMANTICA'
  | 'PAA_SYSTEM_ERROR'
  | 'PAA_PAGAMENTO_SCONOSCIUTO'
  | 'PAA_PAGAMENTO_DUPLICATO'
  | 'PAA_PAGAMENTO_SCADUTO'
  | 'PAA_PAGAMENTO_ANNULLATO'
  | 'PAA_RECEIPT_DUPLICATA';

/** outcome KO with the PAA fault `code` (id: the EC's fiscal code, GPD when the request named none). */
export const koBody = (responseElement: string, code: PaaCode, id: string, description: string): BuildObject =>
  paaKoBody(responseElement, { faultCode: code, description }, id || 'GPD');

/** The PAA code for a notice that cannot be paid (undefined when it can). */
export function paaCodeFor(state: PayableState): { code: PaaCode; why: string } | undefined {
  switch (state.kind) {
    case 'payable':
      return undefined;
    case 'unknown':
      return { code: 'PAA_PAGAMENTO_SCONOSCIUTO', why: state.why };
    case 'not-payable-yet':
      return { code: 'PAA_PAGAMENTO_SCONOSCIUTO', why: `debt position ${state.ref.position.iupd} is ${state.ref.position.status}, not yet payable` };
    case 'expired':
      return { code: 'PAA_PAGAMENTO_SCADUTO', why: `debt position ${state.ref.position.iupd} is EXPIRED` };
    case 'invalid':
      return { code: 'PAA_PAGAMENTO_ANNULLATO', why: `debt position ${state.ref.position.iupd} is INVALID (cancelled)` };
    case 'paid':
      return { code: 'PAA_PAGAMENTO_DUPLICATO', why: `notice ${state.ref.option.nav} is already paid` };
  }
}

/**
 * The payable notice a paForNode request names, or the KO answer (in `responseElement`) that the
 * GPD-backed port gives when it cannot be paid, with the journal note and meta of both paths.
 */
export type Payable = { ok: true; ref: OptionRef; org: string; nav: string; meta: Record<string, string> } | { ok: false; result: HandlerResult };

/** How a paForNode request finds its payable option (GPD's own lookup, or the stand-in one of standInLookup.ts). */
export type PayableLookup = (store: GpdStore, req: XmlObject, responseElement: string) => Payable;

export function lookupPayable(store: GpdStore, req: XmlObject, responseElement: string): Payable {
  const org = String(pick(req, 'qrCode.fiscalCode') ?? '');
  const nav = String(pick(req, 'qrCode.noticeNumber') ?? '');
  const meta = { idPA: org, noticeNumber: nav, idStation: String(pick(req, 'idStation') ?? '') };
  const state = store.payableState(org, nav);
  const ko = paaCodeFor(state);
  if (ko || state.kind !== 'payable') {
    const { code, why } = ko ?? { code: 'PAA_SYSTEM_ERROR' as const, why: 'unexpected state' };
    return { ok: false, result: { kind: 'response', body: koBody(responseElement, code, org, why), notes: [`GPD: ${why}`], meta } };
  }
  return { ok: true, ref: state.ref, org, nav, meta };
}
