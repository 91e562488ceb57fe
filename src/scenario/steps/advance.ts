/** Step `advance: 1h` — moves the scenario's manual clock and waits for the work it triggers (retries, expiry). */
import { parseDuration } from '../../clock.ts';
import type { StepKind } from '../step.ts';

const kind: StepKind = {
  kind: 'advance',
  describe: 'Moves the scenario clock forward (500ms, 30m, 1h, 2d) and lets scheduled work run',
  label: (p) => `advance ${String(p)}`,
  async run(p, ctx) {
    await ctx.clock.advanceAndSettle(parseDuration(p as string | number));
    await ctx.world.idle();
    return { kind: 'done', value: { now: ctx.clock.now().toISOString() }, checks: [] };
  },
};
export default kind;
