/**
 * Step `waitDeliveries: 500ms` or `{timeout, count}` — waits until the Nodo has no
 * receipt delivery attempt in flight (and, with `count`, until that many attempts were
 * made), at most `timeout`. Running out of time is a failed check, not a hang.
 */
import { parseDuration } from '../../clock.ts';
import { checkCount, pass } from '../expect.ts';
import type { StepKind } from '../step.ts';

interface Params {
  timeout?: string | number;
  count?: number;
}

const params = (p: unknown): Params => (p === null || p === undefined ? {} : typeof p === 'object' ? (p as Params) : { timeout: p as string | number });

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const kind: StepKind = {
  kind: 'waitDeliveries',
  describe: 'Waits for receipt deliveries in flight (or `count` attempts), at most `timeout` (default 2s)',
  label: (p) => `waitDeliveries ${JSON.stringify(params(p))}`,
  async run(p, ctx) {
    const { timeout, count } = params(p);
    const limit = parseDuration(timeout ?? '2s');
    const deadline = performance.now() + limit;
    const attempts = () => ctx.world.deliveries().reduce((n, r) => n + r.recipients.reduce((m, d) => m + d.attempts.length, 0), 0);
    for (;;) {
      const left = deadline - performance.now();
      const idle = await Promise.race([ctx.world.idle().then(() => true), sleep(Math.max(0, Math.min(left, 50))).then(() => false)]);
      if (idle && (count === undefined || attempts() >= count)) break;
      if (performance.now() >= deadline) break;
      if (idle) await sleep(10);
    }
    const line = ctx.step.at.line;
    const n = attempts();
    const checks = count === undefined ? [pass(`deliveries settled within ${limit} ms`, line)] : [checkCount(`at least ${count} delivery attempt(s) within ${limit} ms`, 'receipt deliveries', count, Math.min(n, count), line, n < count ? `only ${n} attempt(s) were made; a receipt is sent after an OK sendPaymentOutcome, and retries need advance: 1h` : undefined)];
    return { kind: 'done', value: { attempts: n }, checks };
  },
};
export default kind;
