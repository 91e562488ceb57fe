/**
 * PAA_* catalogue of the reference station (docs/primitives.md §8.2) and the builders of
 * paForNode response bodies (OK content or KO with a fault bean).
 */
import type { BuildObject } from '../xml/build.ts';
import { NS } from '../xml/schemas.ts';
import { clip, faultBeanObject } from '../soap/fault.ts';
import type { OperationDef } from '../soap/operations.ts';
import type { Issue } from '../xml/issue.ts';

/** faultString per code, as pagoPA's own EC implementation words them. */
export const PAA_FAULT_STRINGS: Record<string, string> = {
  PAA_SINTASSI_XSD: 'Errore di sintassi XSD.',
  PAA_SINTASSI_EXTRAXSD: 'Errore di sintassi extra XSD.',
  PAA_SEMANTICA: 'Errore semantico.',
  PAA_SYSTEM_ERROR: 'Errore generico.',
  PAA_ID_DOMINIO_ERRATO: "La PAA non corrisponde al Dominio indicato.",
  PAA_ID_INTERMEDIARIO_ERRATO: 'Identificativo intermediario non corrispondente.',
  PAA_STAZIONE_INT_ERRATA: 'Stazione intermediario non corrispondente.',
  PAA_PAGAMENTO_SCONOSCIUTO: "Pagamento in attesa risulta sconosciuto all'Ente Creditore.",
  PAA_PAGAMENTO_DUPLICATO: "Pagamento in attesa risulta concluso all'Ente Creditore.",
  PAA_PAGAMENTO_IN_CORSO: "Pagamento in attesa risulta in corso all'Ente Creditore.",
  PAA_PAGAMENTO_ANNULLATO: "Pagamento in attesa risulta annullato all'Ente Creditore.",
  PAA_PAGAMENTO_SCADUTO: "Pagamento in attesa risulta scaduto all'Ente Creditore.",
  PAA_RECEIPT_DUPLICATA: 'La Receipt è già stata acquisita.',
};

/** An applicative error of the station: becomes outcome KO with this fault bean. */
export interface StationFault {
  faultCode: string;
  description: string;
  faultString?: string;
}

export const paaFault = (faultCode: string, description: string): StationFault => ({ faultCode, description });

/** Wraps the content of a response in its namespaced root element. */
export function responseBody(op: OperationDef, content: BuildObject): BuildObject {
  return { [`pafn:${op.response}`]: { '@_xmlns:pafn': NS.paForNode, ...content } };
}

/** outcome KO with a fault bean whose `id` is the EC fiscal code (docs/primitives.md §8.1). */
export function koBody(op: OperationDef, fault: StationFault, id: string): BuildObject {
  const bean = faultBeanObject({
    faultCode: fault.faultCode,
    faultString: fault.faultString ?? PAA_FAULT_STRINGS[fault.faultCode] ?? fault.faultCode,
    id,
    description: clip(fault.description),
  });
  return responseBody(op, { outcome: 'KO', fault: bean });
}

/** PAA_SINTASSI_EXTRAXSD with the schema issues (path, line, col) in the description. */
export function syntaxFault(issues: readonly Issue[]): StationFault {
  const list = issues.map((i) => `${i.path || '/'} (line ${i.line}:${i.col}): ${i.message}`).join('; ');
  return paaFault('PAA_SINTASSI_EXTRAXSD', `Failed to accept the request: it is not valid against paForNode.xsd: ${list}. Fix the message and send it again.`);
}
