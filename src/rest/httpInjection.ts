/**
 * Fault injection on an emulated REST endpoint: a status to answer instead of the real
 * answer and/or a latency, optionally for one notice and a number of calls only. Used on
 * SEND's price API (how a SYNC station copes with a slow or failing SEND, docs/send.md §7.4)
 * and on GPD's notificationfee (how SEND copes with a failing GPD, docs/send.md §5 row 3).
 */
import type { Router } from 'express';
import { jsonBody, sendProblem } from './problem.ts';

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

/**
 * The control routes of one endpoint's injections: POST `path` adds one (a 400 problem when the
 * status is not an HTTP error code or the latency not a non-negative integer; `what` names the
 * endpoint in that message) and answers the active list, DELETE `path` clears them.
 */
export function mountHttpInjections(control: Router, path: string, injections: HttpInjections, what: string): void {
  control.post(path, ...jsonBody(), (req, res) => {
    const b = (req.body ?? {}) as HttpInjection;
    if (
      (b.status !== undefined && !(Number.isInteger(b.status) && b.status >= 400 && b.status <= 599)) ||
      (b.latencyMs !== undefined && !(Number.isInteger(b.latencyMs) && b.latencyMs >= 0))
    ) {
      return sendProblem(res, {
        status: 400,
        title: 'Bad Request',
        detail: `Failed to add a ${what} injection: status must be an HTTP error code (400-599) and latencyMs a non-negative integer. Fix the body.`,
      });
    }
    injections.add(b);
    res.status(201).json(injections.active);
  });
  control.delete(path, (_req, res) => {
    injections.clear();
    res.status(204).end();
  });
}
