/**
 * Positions stored compactly (issue 19): a station serving 100k notices held each as a tree of
 * objects (~19 KB per position with the YAML document, ~1 KB without), and every start and reset
 * deep-copied them all. Here the loaded positions are packed as JSON bytes in a few large
 * buffers, indexed by `positionKey` (EC/notice); a position becomes an object only when a
 * request looks it up, and a reset forgets those objects instead of copying the whole set.
 *
 * PackedPositions is the loaded set (the reset baseline); PositionTable is the live view the
 * handlers use: the packed set plus the positions read or changed since the last reset.
 */
import { positionKey, type Position } from './position.ts';

const CHUNK = 4 * 1024 * 1024;

/** Loaded positions as JSON bytes, indexed by EC/notice; the last one added for a key wins. */
export class PackedPositions {
  private readonly chunks: Buffer[] = [];
  private used = CHUNK;
  /** Per slot: chunk, offset, length. */
  private where = new Int32Array(3 * 1024);
  private slots = 0;
  /** positionKey → slot. */
  readonly keys = new Map<string, number>();

  get size(): number {
    return this.keys.size;
  }

  add(p: Position): void {
    const json = JSON.stringify(p);
    const length = Buffer.byteLength(json, 'utf8');
    if (this.used + length > CHUNK || !this.chunks.length) {
      this.chunks.push(Buffer.allocUnsafe(Math.max(CHUNK, length)));
      this.used = 0;
    }
    const chunk = this.chunks.length - 1;
    this.chunks[chunk]!.write(json, this.used, 'utf8');
    if (3 * (this.slots + 1) > this.where.length) {
      const grown = new Int32Array(this.where.length * 2);
      grown.set(this.where);
      this.where = grown;
    }
    const slot = this.slots++;
    this.where[3 * slot] = chunk;
    this.where[3 * slot + 1] = this.used;
    this.where[3 * slot + 2] = length;
    this.used += length;
    this.keys.set(positionKey(p.fiscalCode, p.noticeNumber), slot);
  }

  /** A new object (a copy) of the position at `slot`. */
  read(slot: number): Position {
    const chunk = this.chunks[this.where[3 * slot]!]!;
    const from = this.where[3 * slot + 1]!;
    return JSON.parse(chunk.toString('utf8', from, from + this.where[3 * slot + 2]!)) as Position;
  }

  /** A new object of the position with `key`, if loaded. */
  get(key: string): Position | undefined {
    const slot = this.keys.get(key);
    return slot === undefined ? undefined : this.read(slot);
  }

  /** Every position, each a new object. */
  *values(): IterableIterator<Position> {
    for (const slot of this.keys.values()) yield this.read(slot);
  }
}

/**
 * The live positions: what the packed baseline says, unless a request read (and maybe changed)
 * a position since the last reset, or one was added: those are kept as objects. Map-like.
 */
export class PositionTable {
  private readonly touched = new Map<string, Position>();
  constructor(private readonly packed: PackedPositions) {}

  get(key: string): Position | undefined {
    const t = this.touched.get(key);
    if (t) return t;
    const p = this.packed.get(key);
    if (p) this.touched.set(key, p);
    return p;
  }

  set(key: string, p: Position): this {
    this.touched.set(key, p);
    return this;
  }

  has(key: string): boolean {
    return this.touched.has(key) || this.packed.keys.has(key);
  }

  /** Drops the live object of `key`, if any, so that the next read sees the packed baseline again. */
  forget(key: string): void {
    this.touched.delete(key);
  }

  get size(): number {
    let extra = 0;
    for (const k of this.touched.keys()) if (!this.packed.keys.has(k)) extra++;
    return this.packed.size + extra;
  }

  /** Every live position (the untouched ones as new objects, in load order; then those added since). */
  *values(): IterableIterator<Position> {
    for (const [key, slot] of this.packed.keys) yield this.touched.get(key) ?? this.packed.read(slot);
    for (const [key, p] of this.touched) if (!this.packed.keys.has(key)) yield p;
  }
}
