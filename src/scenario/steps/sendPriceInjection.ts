/** Makes SEND's price API fail or slow down (sendPriceInjection step kind). */
import { failureInjectionStep } from '../sendSteps.ts';

const sendPriceInjection = failureInjectionStep(
  'sendPriceInjection',
  "Makes SEND's price API fail (status) or slow (latencyMs), for one notice and/or N calls; `clear` removes them",
  (ctx, i) => ctx.world.send.injectPrice(i),
  (ctx) => ctx.world.send.clearPriceInjections(),
);

export default sendPriceInjection;
