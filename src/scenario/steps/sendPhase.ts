/** Advances a notification's SEND cost phase (sendPhase step kind). */
import { PHASES, type PhaseRequest } from '../../send/index.ts';
import type { StepKind } from '../step.ts';

const sendPhase: StepKind = {
  kind: 'sendPhase',
  describe:
    'Advances the SEND cost lifecycle of an accepted notification (paper attempts with analogCost, REFINEMENT, NOTIFICATION_VIEWED, NOTIFICATION_CANCELLED)',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['iun', 'phase'],
    properties: {
      iun: { type: 'string', minLength: 1 },
      phase: { enum: [...PHASES] },
      recIndex: { type: 'integer', minimum: 0 },
      analogCost: { type: 'integer', minimum: 0 },
    },
  },
  label: (p) => `sendPhase ${(p as { phase: string }).phase}`,
  check(p, ctx) {
    const q = p as { phase: string; analogCost?: number };
    return q.phase.startsWith('SEND_') && q.analogCost === undefined
      ? [ctx.issueAt(['analogCost'], 'SCENARIO_SEND', `Failed to load the scenario: ${q.phase} needs analogCost (eurocent). Add it.`)]
      : [];
  },
  async run(raw, ctx) {
    const out = await ctx.world.send.advancePhase(ctx.resolve(raw) as PhaseRequest);
    await ctx.world.send.settle();
    if (!out.ok) return { kind: 'error', message: out.problem.detail };
    return { kind: 'done', value: out.value, checks: [] };
  },
};

export default sendPhase;
