/**
 * Fault injection on SEND's price API, to test how a SYNC station behaves when SEND is
 * slow or failing (send.md §7.4 items 3-4): a status to answer instead of the price
 * and/or a latency, optionally for one notice and a number of calls only.
 */
export interface PriceInjection {
  /** HTTP status to answer instead of the price (e.g. 500, 503); absent = real answer. */
  status?: number;
  /** Delay before answering, in real milliseconds (the station's HTTP timeout is real time). */
  latencyMs?: number;
  /** Only for this notice (default: every notice). */
  noticeCode?: string;
  /** Only for the next N matching calls (default: until cleared). */
  times?: number;
}

export class PriceInjections {
  private list: PriceInjection[] = [];

  add(i: PriceInjection): void {
    this.list.push({ ...i });
  }

  clear(): void {
    this.list = [];
  }

  /** The injection to apply to this call (consumes one use), if any. */
  take(noticeCode: string): PriceInjection | undefined {
    const i = this.list.find((x) => !x.noticeCode || x.noticeCode === noticeCode);
    if (!i) return undefined;
    if (i.times !== undefined) {
      i.times -= 1;
      if (i.times <= 0) this.list = this.list.filter((x) => x !== i);
    }
    return i;
  }

  get active(): PriceInjection[] {
    return this.list.map((x) => ({ ...x }));
  }
}
