/**
 * Routing of a notice (qrCode = EC fiscal code + notice number) to the EC–station
 * association that serves it (docs/primitives.md §4): aux 0 → application code (digits 2-3),
 * aux 3 → segregation code (digits 2-3), aux 1/2 → the EC's single association with
 * that aux digit. Then the station, its broker, and their enabled flags.
 */
import type { PptCode } from './faults.ts';
import {
  findBroker,
  findEc,
  associationsOf,
  findStation,
  type Association,
  type CreditorInstitution,
  type EcBroker,
  type Registry,
  type Station,
} from './registry.ts';

export interface Route {
  ec: CreditorInstitution;
  association: Association;
  station: Station;
  broker: EcBroker;
}

export type RouteResult = { ok: true; route: Route } | { ok: false; code: PptCode; why: string };

const no = (code: PptCode, why: string): RouteResult => ({ ok: false, code, why });

/** The association a notice number belongs to (ignores enabled flags), or why there is none. */
export function matchAssociation(associations: Association[], noticeNumber: string): Association | string {
  const aux = Number(noticeNumber[0]);
  const code = noticeNumber.slice(1, 3);
  switch (aux) {
    case 0:
      return associations.find((a) => a.auxDigit === 0 && a.applicationCode === code) ?? `no association with auxDigit 0 and applicationCode ${code}`;
    case 3:
      return associations.find((a) => a.auxDigit === 3 && a.segregationCode === code) ?? `no association with auxDigit 3 and segregationCode ${code}`;
    case 1:
    case 2:
      return associations.find((a) => a.auxDigit === aux) ?? `no association with auxDigit ${aux}`;
    default:
      return `aux digit ${noticeNumber[0]} is not 0, 1, 2 or 3`;
  }
}

export function routeNotice(reg: Registry, fiscalCode: string, noticeNumber: string): RouteResult {
  const ec = findEc(reg, fiscalCode);
  if (!ec) return no('PPT_DOMINIO_SCONOSCIUTO', `EC ${fiscalCode} is not in the registry`);
  if (!ec.enabled) return no('PPT_DOMINIO_DISABILITATO', `EC ${fiscalCode} is disabled in the registry`);
  const association = matchAssociation(associationsOf(reg, fiscalCode), noticeNumber);
  if (typeof association === 'string') return no('PPT_STAZIONE_INT_PA_SCONOSCIUTA', `notice ${noticeNumber} of EC ${fiscalCode}: ${association}`);
  return routeVia(reg, ec, association);
}

/**
 * Where an EC's spontaneous payments (paDemandPaymentNotice) go: the station of its association
 * with `spontaneousPayment` (configuration API `spontaneous_payment`, docs/primitives.md §11). None →
 * PPT_STAZIONE_INT_PA_SCONOSCIUTA (inferred: the code for "no station for this request").
 */
export function routeSpontaneous(reg: Registry, fiscalCode: string): RouteResult {
  const ec = findEc(reg, fiscalCode);
  if (!ec) return no('PPT_DOMINIO_SCONOSCIUTO', `EC ${fiscalCode} is not in the registry`);
  if (!ec.enabled) return no('PPT_DOMINIO_DISABILITATO', `EC ${fiscalCode} is disabled in the registry`);
  const association = associationsOf(reg, fiscalCode).find((a) => a.spontaneousPayment);
  if (!association)
    return no('PPT_STAZIONE_INT_PA_SCONOSCIUTA', `EC ${fiscalCode} has no association enabled for spontaneous payments (spontaneousPayment: true)`);
  return routeVia(reg, ec, association);
}

/** From an association: its station, the station's broker, their enabled flags and version. */
function routeVia(reg: Registry, ec: CreditorInstitution, association: Association): RouteResult {
  const fiscalCode = ec.fiscalCode;
  const station = findStation(reg, association.stationCode);
  if (!station) return no('PPT_STAZIONE_INT_PA_SCONOSCIUTA', `station ${association.stationCode} is not in the registry`);
  if (!association.enabled || !station.enabled)
    return no(
      'PPT_STAZIONE_INT_PA_DISABILITATA',
      `${!station.enabled ? `station ${station.stationCode}` : `association ${fiscalCode}→${station.stationCode}`} is disabled in the registry`,
    );
  const broker = findBroker(reg, station.brokerCode);
  if (!broker) return no('PPT_INTERMEDIARIO_PA_SCONOSCIUTO', `EC broker ${station.brokerCode} of station ${station.stationCode} is not in the registry`);
  if (!broker.enabled) return no('PPT_INTERMEDIARIO_PA_DISABILITATO', `EC broker ${broker.brokerCode} is disabled in the registry`);
  if (station.version === 1)
    return no(
      'PPT_STAZIONE_INT_PA_SERVIZIO_NONATTIVO',
      `station ${station.stationCode} is a version-1 (old model, paaVerificaRPT/paaAttivaRPT) station, which the mock Nodo does not emulate`,
    );
  return { ok: true, route: { ec, association, station, broker } };
}
