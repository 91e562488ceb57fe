/** Steps `sendPaymentOutcome:` and `sendPaymentOutcomeV2:` — PSP outcomes (paymentToken defaults to the last activate's). */
import { pspLabel, runPspCall } from '../pspCall.ts';
import type { StepKind } from '../step.ts';

const kinds: StepKind[] = (['sendPaymentOutcome', 'sendPaymentOutcomeV2'] as const).map((primitive) => ({
  kind: primitive,
  describe: `PSP ${primitive} to the mock Nodo (outcome OK with valid details by default)`,
  acceptsExpect: true,
  label: (p: unknown) => pspLabel(primitive, p),
  run: (p, ctx) => runPspCall(primitive, p, ctx),
}));
export default kinds;
