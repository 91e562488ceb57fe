/**
 * A min-heap of items due at a time (ms): what the session store retires on the clock
 * (ended sessions, expired idempotency keys) without walking everything it keeps.
 * push and pop are O(log n); peeking at the next due time is O(1).
 */
export class DueQueue<T> {
  private readonly at: number[] = [];
  private readonly items: T[] = [];

  get size(): number {
    return this.at.length;
  }

  push(at: number, item: T): void {
    this.at.push(at);
    this.items.push(item);
    let i = this.at.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.at[parent]! <= this.at[i]!) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** The earliest item if it is due at `now` (removed), else undefined. */
  popDue(now: number): T | undefined {
    if (this.at.length === 0 || this.at[0]! > now) return undefined;
    const item = this.items[0]!;
    const lastAt = this.at.pop()!;
    const lastItem = this.items.pop()!;
    if (this.at.length > 0) {
      this.at[0] = lastAt;
      this.items[0] = lastItem;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.at.length && this.at[l]! < this.at[m]!) m = l;
        if (r < this.at.length && this.at[r]! < this.at[m]!) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return item;
  }

  /** A new queue with the items that pass `keep` (O(n)). */
  filter(keep: (item: T) => boolean): DueQueue<T> {
    const q = new DueQueue<T>();
    for (let i = 0; i < this.at.length; i++) if (keep(this.items[i]!)) q.push(this.at[i]!, this.items[i]!);
    return q;
  }

  clear(): void {
    this.at.length = 0;
    this.items.length = 0;
  }

  private swap(a: number, b: number): void {
    [this.at[a], this.at[b]] = [this.at[b]!, this.at[a]!];
    [this.items[a], this.items[b]] = [this.items[b]!, this.items[a]!];
  }
}
