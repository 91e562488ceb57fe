/**
 * What the reference stations offer the code that drives them (the scenario engine, the CLI, the
 * control API): the interface of the object index.ts builds.
 */
import type { Router } from 'express';
import type { Exchange, ExchangeFilter, SoapRoute } from '../soap/index.ts';
import type { Issue } from '../xml/index.ts';
import type { ConferResult } from './confer.ts';
import type { Injection, Position, PositionState, StationDef, StationsConfig, StoredReceipt } from './model.ts';
import type { PackedPositions } from './positionTable.ts';

export interface ReceiptFilter {
  station?: string;
  ec?: string;
  noticeNumber?: string;
  receiptId?: string;
}

export interface ReferenceStations {
  router: Router;
  /** The paForNode port of a configured station at its exact path `/stations/<idStation>`, for soapFirst (soap/dispatch.ts). */
  soapRoute: SoapRoute;
  stations(): StationDef[];
  /** Replaces the station identities (keeps positions and receipts). */
  setStations(defs: StationDef[]): void;
  addStation(def: StationDef): void;
  /** Loads positions; `replace` drops the current ones first. The result becomes the reset baseline. */
  loadPositions(positions: Position[], opts?: { replace?: boolean }): void;
  /** Loads packed positions (a streaming file's); `replace` drops the current ones first. They become the reset baseline. */
  loadPacked(packed: PackedPositions, opts?: { replace?: boolean }): void;
  /** Loads a whole positions file (stations too, unless injected by the caller). */
  loadConfig(config: StationsConfig, opts?: { replace?: boolean }): void;
  positions(fiscalCode?: string): Position[];
  position(fiscalCode: string, noticeNumber: string): Position | undefined;
  setPositionState(fiscalCode: string, noticeNumber: string, state: PositionState): boolean;
  receipts(filter?: ReceiptFilter): StoredReceipt[];
  /** Adds an injection from its YAML/JSON form or as a model object. */
  inject(spec: unknown): { ok: true; injection: Injection } | { ok: false; issues: Issue[] };
  injections(): Injection[];
  /** Removes one injection by id, or all; returns how many were removed. */
  clearInjections(id?: string): number;
  /** Exchanges recorded by the stations (since the last `clearExchanges`). */
  exchanges(filter?: ExchangeFilter & { station?: string }): Exchange[];
  clearExchanges(): void;
  /** Back to the last loaded configuration: positions, catalogue and injections; receipts dropped. */
  reset(): void;
  setSendBaseUrl(url: string | undefined): void;
  setSendTimeoutMs(ms: number): void;
  /** `<baseUrl>/stations/<idStation>` */
  urlOf(idStation: string, baseUrl: string): string;
  /** Resolves when no request is being answered (its journal record written), e.g. one the caller stopped waiting for. */
  whenIdle(): Promise<void>;
  /** Requests being answered now. */
  inFlight(): number;
  /** The EC's back office confers the payable positions `idStation` holds to ACA (`<acaBaseUrl>/paCreatePosition`), one call each. */
  conferToAca(idStation: string, acaBaseUrl: string, subscriptionKey: string): Promise<ConferResult[]>;
}
