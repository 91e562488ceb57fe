/** Step `verificaBollettino:` — Poste Italiane's Data Matrix verify to the mock Nodo (EC-PSP-01: it reaches the station as paVerifyPaymentNotice). */
import { pspLabel, pspReadsSetupNotice, runPspCall } from '../pspCall.ts';
import type { StepKind } from '../step.ts';

const kind: StepKind = {
  kind: 'verificaBollettino',
  describe: "PSP verificaBollettino to the mock Nodo (ccPost defaults to the first postal account of the notice's EC; noticeNumber as verifyPaymentNotice)",
  acceptsExpect: true,
  readsSetupNotice: pspReadsSetupNotice,
  label: (p) => pspLabel('verificaBollettino', p),
  run: (p, ctx) => runPspCall('verificaBollettino', p, ctx),
};
export default kind;
