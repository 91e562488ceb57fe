/**
 * The bodies of paForNode answers, for every party that answers the Nodo as an EC station (the
 * reference stations, the GPD-backed station): the namespaced response element, and outcome KO with a
 * PAA fault bean (docs/primitives.md §8.1, §8.2).
 */
import type { BuildObject } from '../xml/index.ts';
import { NS } from '../xml/index.ts';
import { faultBeanObject } from './fault.ts';

/** faultString per PAA code, as pagoPA's own EC implementation words them. */
export const PAA_FAULT_STRINGS: Record<string, string> = {
  PAA_SINTASSI_XSD: 'Errore di sintassi XSD.',
  PAA_SINTASSI_EXTRAXSD: 'Errore di sintassi extra XSD.',
  PAA_SEMANTICA: 'Errore semantico.',
  PAA_SYSTEM_ERROR: 'Errore generico.',
  PAA_ID_DOMINIO_ERRATO: 'La PAA non corrisponde al Dominio indicato.',
  PAA_ID_INTERMEDIARIO_ERRATO: 'Identificativo intermediario non corrispondente.',
  PAA_STAZIONE_INT_ERRATA: 'Stazione intermediario non corrispondente.',
  PAA_PAGAMENTO_SCONOSCIUTO: "Pagamento in attesa risulta sconosciuto all'Ente Creditore.",
  PAA_PAGAMENTO_DUPLICATO: "Pagamento in attesa risulta concluso all'Ente Creditore.",
  PAA_PAGAMENTO_IN_CORSO: "Pagamento in attesa risulta in corso all'Ente Creditore.",
  PAA_PAGAMENTO_ANNULLATO: "Pagamento in attesa risulta annullato all'Ente Creditore.",
  PAA_PAGAMENTO_SCADUTO: "Pagamento in attesa risulta scaduto all'Ente Creditore.",
  PAA_RECEIPT_DUPLICATA: 'La Receipt è già stata acquisita.',
};

/** An applicative error of an EC station: outcome KO with this fault (faultString from the catalogue when absent). */
export interface PaaFault {
  faultCode: string;
  description: string;
  faultString?: string;
}

/** `content` in the response element `responseElement` of paForNode.xsd. */
export function paForNodeResponse(responseElement: string, content: BuildObject): BuildObject {
  return { [`pafn:${responseElement}`]: { '@_xmlns:pafn': NS.paForNode, ...content } };
}

/** outcome KO with the fault bean of `fault`, whose `id` is the EC's fiscal code (docs/primitives.md §8.1). */
export function paaKoBody(responseElement: string, fault: PaaFault, id: string): BuildObject {
  const bean = faultBeanObject({
    faultCode: fault.faultCode,
    faultString: fault.faultString ?? PAA_FAULT_STRINGS[fault.faultCode] ?? fault.faultCode,
    id,
    description: fault.description,
  });
  return paForNodeResponse(responseElement, { outcome: 'KO', fault: bean });
}
