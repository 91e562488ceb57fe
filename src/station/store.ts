/**
 * The mutable state of the reference stations: station identities, positions (keyed by
 * EC fiscal code + notice number), stored receipts, the spontaneous-payment catalogue
 * and the injections. `reset()` goes back to the loaded configuration.
 */
import { noticeNumberGenerator } from './noticeNumber.ts';
import { PackedPositions, PositionTable } from './positionTable.ts';
import { positionKey, type DemandService, type Injection, type Position, type StationDef, type StationsConfig, type StoredReceipt } from './model.ts';

export interface StationStore {
  stations: Map<string, StationDef>;
  /** Live positions over the packed baseline (positionTable.ts). */
  positions: PositionTable;
  /** Stored receipts by receiptKey (station, recipient EC, receiptId): the duplicate check is one lookup. */
  receipts: Map<string, StoredReceipt>;
  services: DemandService[];
  injections: Injection[];
  /** Next spontaneous notice number for a segregation code. */
  nextNotice(segregationCode: string): string;
}

/** A store over `config`; its positions are `packed` (the baseline), untouched until a request reads them. */
export function createStore(config: StationsConfig, packed: PackedPositions = packPositions(config.positions)): StationStore {
  const generators = new Map<string, () => string>();
  const store: StationStore = {
    stations: new Map(config.stations.map((s) => [s.idStation, { ...s, ecs: [...s.ecs] }])),
    positions: new PositionTable(packed),
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
      // A number is taken when any EC the stations serve has it (one lookup per EC, not a scan of the positions).
      const ecs = new Set([...store.stations.values()].flatMap((s) => s.ecs));
      while ([...ecs].some((ec) => store.positions.has(positionKey(ec, n)))) n = g();
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

/** `positions` packed (the last one of a key wins). */
export function packPositions(positions: Iterable<Position>, into = new PackedPositions()): PackedPositions {
  for (const p of positions) into.add(p);
  return into;
}
