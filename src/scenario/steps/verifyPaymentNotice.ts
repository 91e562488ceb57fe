/** Step `verifyPaymentNotice:` — a PSP verify to the mock Nodo (EC-PSP-01). */
import { pspLabel, pspReadsSetupNotice, runPspCall } from '../pspCall.ts';
import type { StepKind } from '../step.ts';

const kind: StepKind = {
  kind: 'verifyPaymentNotice',
  describe: 'PSP verifyPaymentNotice to the mock Nodo (qrCode defaults to setup.notice or the first position)',
  acceptsExpect: true,
  readsSetupNotice: pspReadsSetupNotice,
  label: (p) => pspLabel('verifyPaymentNotice', p),
  run: (p, ctx) => runPspCall('verifyPaymentNotice', p, ctx),
};
export default kind;
