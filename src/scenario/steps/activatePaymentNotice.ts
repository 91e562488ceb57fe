/** Steps `activatePaymentNotice:` and `activatePaymentNoticeV2:` — PSP activations (EC-PSP-02, EC-PSP-02M). */
import { pspLabel, pspReadsSetupNotice, runPspCall } from '../pspCall.ts';
import type { StepKind } from '../step.ts';

const kinds: StepKind[] = (['activatePaymentNotice', 'activatePaymentNoticeV2'] as const).map((primitive) => ({
  kind: primitive,
  describe: `PSP ${primitive} to the mock Nodo (amount defaults to the last verify's, then the position's)`,
  acceptsExpect: true,
  readsSetupNotice: pspReadsSetupNotice,
  label: (p: unknown) => pspLabel(primitive, p),
  run: (p, ctx) => runPspCall(primitive, p, ctx),
}));
export default kinds;
