/**
 * The reference station's data model: station identities, debt positions (position.ts, re-exported
 * here), fault injections, the spontaneous-payment catalogue and stored receipts.
 * Amounts are integer eurocents internally.
 */
import type { Position } from './position.ts';
import type { PackedPositions } from './positionTable.ts';

export { POSITION_STATES, positionKey } from './position.ts';
export type { Metadata, Position, PositionState, Stamp, Subject, Transfer } from './position.ts';

/** One station identity: the path `/stations/<idStation>` answers for these ECs. */
export interface StationDef {
  idStation: string;
  idBrokerPA: string;
  /** Fiscal codes of the ECs this station serves (checked against `idPA`). */
  ecs: string[];
}

export const STATION_OPERATIONS = ['paVerifyPaymentNotice', 'paGetPayment', 'paGetPaymentV2', 'paSendRT', 'paSendRTV2', 'paDemandPaymentNotice'] as const;
export type StationOperation = (typeof STATION_OPERATIONS)[number];

export type MutationOp = 'remove' | 'set' | 'empty' | 'duplicate' | 'move';

/** Where `set`/`move` put the element: next to a sibling given by its own dotted path. */
export type Placement = { after: string } | { before: string };

/** What an injection does. `delayMs` on the injection itself composes with any action. */
export type InjectionAction =
  | { kind: 'none' }
  | { kind: 'close' }
  | { kind: 'reset' }
  /** No answer while the caller waits: the request is held until the caller gives up (its timeout) or the connection ends, then closed. */
  | { kind: 'hold' }
  | { kind: 'http500' }
  | { kind: 'malformed' }
  | { kind: 'mutate'; op: MutationOp; path: string; value?: string; place?: Placement }
  | { kind: 'fault'; faultCode: string; faultString?: string; description?: string }
  | { kind: 'koWithoutFault' }
  /** outcome OK that also carries this fault bean (an invalid answer, docs/primitives.md §8.1). */
  | { kind: 'okWithFault'; faultCode: string; faultString?: string; description?: string }
  /** The answer in another response element (e.g. paGetPaymentRes to a paGetPaymentV2). */
  | { kind: 'respondAs'; element: string }
  /** A SOAP 1.1 Fault (HTTP 500) instead of a paForNode response. */
  | { kind: 'soapFault'; code: 'Client' | 'Server'; faultString: string }
  | { kind: 'amountMismatch'; deltaCents: number }
  | { kind: 'wrongIban'; iban: string };

export interface Injection {
  id: string;
  station?: string;
  operation?: StationOperation;
  noticeNumber?: string;
  /** Applies this many more times; undefined = always. */
  times?: number;
  delayMs: number;
  action: InjectionAction;
}

/** A service of the spontaneous-payment catalogue (paDemandPaymentNotice), as the EC (or GPD) serves it. */
export interface DemandService {
  idServizio: string;
  idSoggettoServizio: string;
  /** EC that creates the position (default: the request's idPA). */
  fiscalCode?: string;
  /** Segregation code of the new aux-3 notice numbers (routes them to the serving station). */
  segregationCode: string;
  /** Fixed amount (eurocent), when the data does not carry one (`from.amount`). */
  amountCents?: number;
  /** Largest amount the service accepts (eurocent): above → PAA_SEMANTICA. */
  maxAmountCents?: number;
  description: string;
  companyName: string;
  iban: string;
  category: string;
  /** The service's own XSD: datiSpecificiServizioRequest must be valid against it (else PAA_SINTASSI_XSD). */
  xsd?: { name: string; text: string };
  /** Where the new position's values are in datiSpecificiServizioRequest (dotted element names below its root). */
  from: { amount?: string; debtorId?: string; debtorName?: string; description?: string };
  /** A datiSpecificiServizio document the service accepts (checked at load): what the explorer's examples send. */
  example?: string;
}

export interface StoredReceipt {
  station: string;
  /** Recipient EC (the request's idPA). */
  idPA: string;
  idBrokerPA: string;
  receiptId: string;
  noticeNumber: string;
  /** EC that issued the notice (receipt/fiscalCode). */
  fiscalCode: string;
  version: 1 | 2;
  /** True when this station does not hold the notice (broadcast delivery). */
  broadcast: boolean;
  receivedAt: string;
  paymentAmount: string;
  /** The receipt element as read from the request (strings only). */
  receipt: Record<string, unknown>;
}

/** Everything a positions file can define. */
export interface StationsConfig {
  stations: StationDef[];
  positions: Position[];
  /** Positions loaded from a streaming file (NDJSON), already packed: served besides `positions` (positionTable.ts). */
  packed?: PackedPositions;
  injections: Injection[];
  services: DemandService[];
  /** Timeout of the SEND price call (ms). */
  sendTimeoutMs?: number;
}

export const emptyConfig = (): StationsConfig => ({ stations: [], positions: [], injections: [], services: [] });

export function formatCents(cents: number): string {
  return (cents / 100).toFixed(2);
}
