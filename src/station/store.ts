/**
 * The mutable state of the reference stations: station identities, positions (keyed by
 * EC fiscal code + notice number), stored receipts, the spontaneous-payment catalogue
 * and the injections. `reset()` goes back to the loaded configuration.
 */
import { noticeNumberGenerator } from './noticeNumber.ts';
import { positionKey, type DemandService, type Injection, type Position, type StationDef, type StationsConfig, type StoredReceipt } from './model.ts';

export interface StationStore {
  stations: Map<string, StationDef>;
  positions: Map<string, Position>;
  /** Stored receipts by receiptKey (station, recipient EC, receiptId): the duplicate check is one lookup. */
  receipts: Map<string, StoredReceipt>;
  services: DemandService[];
  injections: Injection[];
  /** Next spontaneous notice number for a segregation code. */
  nextNotice(segregationCode: string): string;
}

const clonePosition = (p: Position): Position => structuredClone(p);

export function createStore(config: StationsConfig): StationStore {
  const generators = new Map<string, () => string>();
  const store: StationStore = {
    stations: new Map(config.stations.map((s) => [s.idStation, { ...s, ecs: [...s.ecs] }])),
    positions: new Map(config.positions.map((p) => [positionKey(p.fiscalCode, p.noticeNumber), clonePosition(p)])),
    receipts: new Map(),
    services: [...config.services],
    injections: config.injections.map((i) => ({ ...i })),
    nextNotice(segregationCode) {
      let g = generators.get(segregationCode);
      if (!g) {
        // Spontaneous notices use a high base so they never collide with hand-written ones.
        g = noticeNumberGenerator(segregationCode, 9_000_000_000_000);
        generators.set(segregationCode, g);
      }
      let n = g();
      while ([...store.positions.values()].some((p) => p.noticeNumber === n)) n = g();
      return n;
    },
  };
  return store;
}

/** The identity of a stored receipt: one per (station, recipient EC, receiptId) — PAA_RECEIPT_DUPLICATA beyond. */
export const receiptKey = (station: string, idPA: string, receiptId: string): string => `${station}|${idPA}|${receiptId}`;

/** A position held by `idStation` (positions without `station` are held by every station serving the EC). */
export function findPosition(store: StationStore, idStation: string, fiscalCode: string, noticeNumber: string): Position | undefined {
  const p = store.positions.get(positionKey(fiscalCode, noticeNumber));
  if (!p) return undefined;
  if (p.station && p.station !== idStation) return undefined;
  const st = store.stations.get(idStation);
  if (!p.station && st && !st.ecs.includes(p.fiscalCode)) return undefined;
  return p;
}
