/** Makes GPD's notificationfee update fail or slow down (gpdInjection step kind). */
import { failureInjectionStep } from '../sendSteps.ts';

const gpdInjection = failureInjectionStep(
  'gpdInjection',
  "Makes GPD's notificationfee update fail (status, e.g. 503) or slow (latencyMs), for one notice and/or N calls; `clear` removes them",
  (ctx, i) => ctx.world.gpd.injectFeeFailure(i),
  (ctx) => ctx.world.gpd.clearInjections(),
);

export default gpdInjection;
