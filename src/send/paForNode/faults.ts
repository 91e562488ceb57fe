/**
 * KO answers of the GPD-backed paForNode port: PAA_* fault beans (id = the EC's fiscal
 * code) and the mapping of GPD states to PAA codes of primitives.md §8.4 [GPD].
 */
import { NS } from '../../xml/schemas.ts';
import type { BuildObject } from '../../xml/build.ts';
import { faultBeanObject } from '../../soap/fault.ts';
import type { PayableState } from '../gpdStore.ts';

export type PaaCode =
  | 'PAA_SINTASSI_EXTRAXSD'
  | 'PAA_SEMANTICA'
  | 'PAA_SYSTEM_ERROR'
  | 'PAA_PAGAMENTO_SCONOSCIUTO'
  | 'PAA_PAGAMENTO_DUPLICATO'
  | 'PAA_PAGAMENTO_SCADUTO'
  | 'PAA_PAGAMENTO_ANNULLATO'
  | 'PAA_RECEIPT_DUPLICATA';

const FAULT_STRINGS: Record<PaaCode, string> = {
  PAA_SINTASSI_EXTRAXSD: 'Errore di sintassi extra XSD.',
  PAA_SEMANTICA: 'Errore semantico.',
  PAA_SYSTEM_ERROR: 'Errore generico.',
  PAA_PAGAMENTO_SCONOSCIUTO: "Pagamento in attesa risulta sconosciuto all'Ente Creditore.",
  PAA_PAGAMENTO_DUPLICATO: "Pagamento in attesa risulta concluso all'Ente Creditore.",
  PAA_PAGAMENTO_SCADUTO: "Pagamento in attesa risulta scaduto all'Ente Creditore.",
  PAA_PAGAMENTO_ANNULLATO: "Pagamento in attesa risulta annullato all'Ente Creditore.",
  PAA_RECEIPT_DUPLICATA: 'La ricevuta risulta già acquisita.',
};

/** A `{ 'pafn:<response>': { outcome: KO, fault } }` body. */
export function koBody(responseElement: string, code: PaaCode, id: string, description: string): BuildObject {
  return {
    [`pafn:${responseElement}`]: {
      '@_xmlns:pafn': NS.paForNode,
      outcome: 'KO',
      fault: faultBeanObject({ faultCode: code, faultString: FAULT_STRINGS[code], id: id || 'GPD', description }),
    },
  };
}

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
