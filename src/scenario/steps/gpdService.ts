/**
 * Step `gpdService:` — GPD holds a spontaneous-payment service from now on (its paDemandPaymentNotice
 * creates debt positions in the GPD emulator). Same format as a positions file's `services:` item
 * (src/station/README.md); `xsd:` is relative to the scenario file.
 */
import { serviceSchema } from '../../station/index.ts';
import { normalizePositions } from '../../station/index.ts';
import type { StepKind } from '../step.ts';

const gpdService: StepKind = {
  kind: 'gpdService',
  describe:
    'GPD holds a spontaneous-payment service (positions-file services format; xsd relative to the scenario): its paDemandPaymentNotice creates GPD debt positions',
  schema: serviceSchema,
  label: (p) => `gpdService ${(p as { idServizio?: string }).idServizio ?? ''}/${(p as { idSoggettoServizio?: string }).idSoggettoServizio ?? ''}`,
  check(p, ctx) {
    const r = normalizePositions({ services: [p] }, { source: ctx.scenario.at.file });
    return r.ok
      ? []
      : r.issues.map((i) =>
          ctx.issueAt([], 'SCENARIO_GPD', `Failed to load the scenario: gpdService ${i.message.replace(/^\/services\/0\/?/, '')}. Fix the service.`),
        );
  },
  async run(raw, ctx) {
    const r = normalizePositions({ services: [ctx.resolve(raw)] }, { source: ctx.scenario.at.file });
    if (!r.ok) return { kind: 'error', message: `Failed to add the GPD service: ${r.issues.map((i) => i.message).join('; ')}` };
    for (const svc of r.config.services) ctx.world.gpd.addService(svc);
    return { kind: 'done', value: { services: ctx.world.gpd.services().length }, checks: [] };
  },
};
export default gpdService;
