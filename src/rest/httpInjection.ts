/**
 * Fault injection on an emulated REST endpoint: a status to answer instead of the real
 * answer and/or a latency, optionally for one notice and a number of calls only. Used on
 * SEND's price API (how a SYNC station copes with a slow or failing SEND, docs/send.md §7.4)
 * and on GPD's notificationfee (how SEND copes with a failing GPD, docs/send.md §5 row 3).
 */
export interface HttpInjection {
  /** HTTP status to answer instead of the real answer (e.g. 500, 503); absent = real answer. */
  status?: number;
  /** Delay before answering, in real milliseconds (HTTP timeouts are real time). */
  latencyMs?: number;
  /** Only for this notice (default: every notice). */
  noticeCode?: string;
  /** Only for the next N matching calls (default: until cleared). */
  times?: number;
}

export class HttpInjections {
  private list: HttpInjection[] = [];

  add(i: HttpInjection): void {
    this.list.push({ ...i });
  }

  clear(): void {
    this.list = [];
  }

  /** The injection to apply to this call (consumes one use), if any. */
  take(noticeCode: string): HttpInjection | undefined {
    const i = this.list.find((x) => !x.noticeCode || x.noticeCode === noticeCode);
    if (!i) return undefined;
    if (i.times !== undefined) {
      i.times -= 1;
      if (i.times <= 0) this.list = this.list.filter((x) => x !== i);
    }
    return i;
  }

  get active(): HttpInjection[] {
    return this.list.map((x) => ({ ...x }));
  }
}
