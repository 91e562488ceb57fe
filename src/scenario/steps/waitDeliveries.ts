/**
 * Step `waitDeliveries:` (or `waitDeliveries: {count}`) — waits until every receipt delivery
 * attempt in flight has its answer (or its failure) recorded, then, with `count`, checks that
 * at least that many attempts were made. Event-driven: it awaits the attempts themselves
 * (World.idle), never a sleep, so the verdict does not depend on how fast the station answers.
 * A duration (`waitDeliveries: 2s`, `{timeout}`) is still accepted from older scenarios and is
 * not a time limit: an attempt ends at the station's paSendRT timeout (registry `timeouts`),
 * and a scenario that hangs ends at the scenario time limit.
 */
import { checkCount, pass } from '../expect.ts';
import type { StepKind } from '../step.ts';

interface Params {
  timeout?: string | number;
  count?: number;
}

const params = (p: unknown): Params => (p === null || p === undefined ? {} : typeof p === 'object' ? (p as Params) : { timeout: p as string | number });

const kind: StepKind = {
  kind: 'waitDeliveries',
  describe: 'Waits until every receipt delivery attempt in flight has settled (and, with `count`, checks that many attempts were made)',
  label: (p) => {
    const { count } = params(p);
    return count === undefined ? 'waitDeliveries' : `waitDeliveries count ${count}`;
  },
  async run(p, ctx) {
    const { count } = params(p);
    await ctx.world.idle();
    const line = ctx.step.at.line;
    const n = ctx.world.deliveries().reduce((acc, r) => acc + r.recipients.reduce((m, d) => m + d.attempts.length, 0), 0);
    const checks =
      count === undefined
        ? [pass(`receipt deliveries settled (${n} attempt(s) so far)`, line)]
        : [
            checkCount(
              `at least ${count} delivery attempt(s) made`,
              'receipt deliveries',
              count,
              Math.min(n, count),
              line,
              n < count
                ? `only ${n} attempt(s) were made and none is in flight; a receipt is sent after an OK sendPaymentOutcome, and retries need advance: 1h`
                : undefined,
            ),
          ];
    return { kind: 'done', value: { attempts: n }, checks };
  },
};
export default kind;
