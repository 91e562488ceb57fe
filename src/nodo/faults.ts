/**
 * The Nodo's PPT_* fault catalogue (faultString as the Nodo sends it, [ERR-NODO] /
 * [NODO-CODES]) and the relay of a station's PAA_* fault to the PSP as
 * PPT_ERRORE_EMESSO_DA_PAA, in the extended (channel newFaultCode) or legacy form
 * (docs/primitives.md §8.1, §8.3).
 */
import type { FaultBean } from '../soap/index.ts';

export const NODO_ID = 'NodoDeiPagamentiSPC';

export const PPT = {
  PPT_SINTASSI_XSD: 'Errore di sintassi XSD.',
  PPT_SINTASSI_EXTRAXSD: 'Errore di sintassi extra XSD.',
  PPT_SEMANTICA: 'Errore semantico.',
  PPT_SYSTEM_ERROR: 'Errore generico.',
  PPT_AUTENTICAZIONE: 'Errore di autenticazione.',
  PPT_AUTORIZZAZIONE: "Il richiedente non ha i diritti per l'operazione.",
  PPT_PSP_SCONOSCIUTO: 'PSP sconosciuto.',
  PPT_PSP_DISABILITATO: 'PSP disabilitato.',
  PPT_INTERMEDIARIO_PSP_SCONOSCIUTO: 'Intermediario PSP sconosciuto.',
  PPT_INTERMEDIARIO_PSP_DISABILITATO: 'Intermediario PSP disabilitato.',
  PPT_CANALE_SCONOSCIUTO: 'Canale sconosciuto.',
  PPT_CANALE_DISABILITATO: 'Canale disabilitato.',
  PPT_DOMINIO_SCONOSCIUTO: 'Identificativo dominio sconosciuto.',
  PPT_DOMINIO_DISABILITATO: 'Dominio disabilitato.',
  PPT_INTERMEDIARIO_PA_SCONOSCIUTO: 'Identificativo intermediario PA sconosciuto.',
  PPT_INTERMEDIARIO_PA_DISABILITATO: 'Intermediario PA disabilitato.',
  PPT_STAZIONE_INT_PA_SCONOSCIUTA: 'Identificativo stazione intermediario PA sconosciuto.',
  PPT_STAZIONE_INT_PA_DISABILITATA: 'Stazione intermediario PA disabilitata.',
  PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE: 'Stazione intermediario PA irraggiungibile.',
  PPT_STAZIONE_INT_PA_TIMEOUT: 'Timeout risposta dalla Stazione.',
  PPT_STAZIONE_INT_PA_SERVIZIO_NONATTIVO: 'Servizio non attivo presso la Stazione.',
  PPT_STAZIONE_INT_PA_ERRORE_RESPONSE: 'Errore nella response dalla Stazione.',
  PPT_ERRORE_EMESSO_DA_PAA: 'Errore restituito dalla PAA.',
  PPT_PAGAMENTO_IN_CORSO: 'Pagamento in attesa risulta in corso al sistema pagoPA.',
  PPT_PAGAMENTO_DUPLICATO: 'Pagamento in attesa risulta concluso al sistema pagoPA.',
  PPT_PAGAMENTO_SCONOSCIUTO: 'Pagamento sconosciuto.',
  PPT_TOKEN_SCONOSCIUTO: 'paymentToken sconosciuto.',
  PPT_TOKEN_SCADUTO: 'paymentToken scaduto.',
  PPT_TOKEN_SCADUTO_KO: 'paymentToken scaduto ed esito KO.',
  PPT_ESITO_GIA_ACQUISITO: 'Esito già acquisito.',
  PPT_ERRORE_IDEMPOTENZA: 'Errore di idempotenza.',
  PPT_IBAN_NON_CENSITO: 'IBAN non censito.',
  PPT_MULTI_BENEFICIARIO: 'La chiamata non è compatibile con il nuovo modello PSP.',
  PPT_SOAPACTION_ERRATA: 'SOAPAction errata.',
  // demandPaymentNotice (§8.3, §8.5); the wording of these three strings is inferred.
  PPT_SERVIZIO_SCONOSCIUTO: 'Servizio sconosciuto.',
  PPT_SERVIZIO_NONATTIVO: 'Servizio non attivo.',
  PPT_VERSIONE_SERVIZIO: 'Versione del servizio non compatibile.',
} as const;

export type PptCode = keyof typeof PPT;

/** A fault detected by the Nodo itself (id = NodoDeiPagamentiSPC). */
export function nodoFault(code: PptCode, description?: string, serial?: number): FaultBean {
  return { faultCode: code, faultString: PPT[code], id: NODO_ID, ...(description ? { description } : {}), ...(serial !== undefined ? { serial } : {}) };
}

/**
 * A valid KO of the station relayed to the PSP: PPT_ERRORE_EMESSO_DA_PAA with id = the EC
 * fiscal code. Extended bean (channel newFaultCode) → original* fields; legacy → packed in
 * description as the Nodo did before (#173).
 */
export function relayPaaFault(station: FaultBean, ecFiscalCode: string, extended: boolean): FaultBean {
  const base = { faultCode: 'PPT_ERRORE_EMESSO_DA_PAA', faultString: PPT.PPT_ERRORE_EMESSO_DA_PAA, id: ecFiscalCode };
  if (extended) {
    return {
      ...base,
      ...(station.description ? { description: station.description } : {}),
      originalFaultCode: station.faultCode,
      originalFaultString: station.faultString,
      ...(station.description !== undefined ? { originalDescription: station.description } : {}),
    };
  }
  const packed = `FaultCode PA: ${station.faultCode} FaultString PA: ${station.faultString} Description PA: ${station.description ?? ''}`;
  return { ...base, description: packed };
}
