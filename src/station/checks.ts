/**
 * Checks every paForNode request goes through, in pagoPA's order (docs/primitives.md §8.1):
 * syntax → caller configuration (idPA / idBrokerPA / idStation) → position state.
 */
import type { XmlObject } from '../xml/index.ts';
import type { Issue } from '../xml/index.ts';
import { paaFault, syntaxFault, type StationFault } from './faults.ts';
import type { Position, StationDef } from './model.ts';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export interface RequestHeader {
  idPA?: string;
  idBrokerPA?: string;
  idStation?: string;
}

export function headerOf(req: XmlObject): RequestHeader {
  return { idPA: str(req['idPA']), idBrokerPA: str(req['idBrokerPA']), idStation: str(req['idStation']) };
}

/** The `id` of our fault beans: the EC fiscal code named by the request, else the station's first EC. */
export function faultId(station: StationDef, h: RequestHeader): string {
  return h.idPA ?? station.ecs[0] ?? station.idBrokerPA;
}

export function checkSyntax(issues: readonly Issue[]): StationFault | undefined {
  return issues.length ? syntaxFault(issues) : undefined;
}

/** `ignore`: the header fields a broken station (defects.ts) does not check. */
export function checkHeader(
  station: StationDef,
  h: RequestHeader,
  ignore: { idPA?: boolean; idBrokerPA?: boolean; idStation?: boolean } = {},
): StationFault | undefined {
  if (!ignore.idPA && (!h.idPA || !station.ecs.includes(h.idPA))) {
    return paaFault(
      'PAA_ID_DOMINIO_ERRATO',
      `Failed to accept the request: idPA ${h.idPA ?? '(missing)'} is not an EC served by station ${station.idStation} (it serves ${station.ecs.join(', ') || 'no EC'}). Check the EC-station association.`,
    );
  }
  if (!ignore.idBrokerPA && h.idBrokerPA !== station.idBrokerPA) {
    return paaFault(
      'PAA_ID_INTERMEDIARIO_ERRATO',
      `Failed to accept the request: idBrokerPA ${h.idBrokerPA ?? '(missing)'} is not the broker of station ${station.idStation} (${station.idBrokerPA}). Check the station's broker.`,
    );
  }
  if (!ignore.idStation && h.idStation !== station.idStation) {
    return paaFault(
      'PAA_STAZIONE_INT_ERRATA',
      `Failed to accept the request: idStation ${h.idStation ?? '(missing)'} does not match this station (${station.idStation}). Call the endpoint of station ${h.idStation ?? '?'} or fix idStation.`,
    );
  }
  return undefined;
}

/** State mapping of pagoPA's own EC implementation (GPD, docs/primitives.md §8.4). */
export function checkPositionState(
  p: Position | undefined,
  fiscalCode: string,
  noticeNumber: string,
  opts: { paidIsPayable?: boolean } = {},
): StationFault | undefined {
  const which = `notice ${noticeNumber} of EC ${fiscalCode}`;
  if (!p) return paaFault('PAA_PAGAMENTO_SCONOSCIUTO', `${which} not found`);
  if (opts.paidIsPayable && p.state === 'paid') return undefined;
  switch (p.state) {
    case 'payable':
      return undefined;
    case 'notYetPayable':
      return paaFault('PAA_PAGAMENTO_SCONOSCIUTO', `${which} is not payable yet`);
    case 'expired':
      return paaFault('PAA_PAGAMENTO_SCADUTO', `${which} expired`);
    case 'cancelled':
      return paaFault('PAA_PAGAMENTO_ANNULLATO', `${which} was cancelled`);
    case 'paid':
      return paaFault('PAA_PAGAMENTO_DUPLICATO', `${which} is already paid`);
  }
}
