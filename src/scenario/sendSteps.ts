/**
 * What the SEND and GPD step kinds (scenario/steps/gpdPosition.ts, sendNotification.ts, ...) share:
 * the schemas of a fiscal code and a notice number, the default EC, and the failure-injection step.
 */
import type { StepContext, StepKind } from './step.ts';
import { defaultEc } from './model.ts';

export const fiscalCode = { type: 'string', pattern: '^[0-9]{11}$' };
export const noticeNumber = { type: 'string', pattern: '^(\\$\\{[^}]+\\}|[0-9]{18})$' };
export const fields = { type: 'object', additionalProperties: { $ref: 'urn:pagopa-station-harness:scenario#/$defs/matcher' } };
export const line = (ctx: StepContext) => ctx.step.at.line;
export const stepEc = (ctx: StepContext, fc?: string) => fc ?? defaultEc(ctx.scenario.setup);

export interface FailureInjection {
  status?: number;
  latencyMs?: number;
  noticeCode?: string;
  times?: number;
}

/** A step that makes one emulated REST call fail or slow down (`clear` removes the injections). */
export function failureInjectionStep(
  kind: string,
  describe: string,
  inject: (ctx: StepContext, i: FailureInjection) => void,
  clear: (ctx: StepContext) => void,
): StepKind {
  return {
    kind,
    describe,
    schema: {
      anyOf: [
        { const: 'clear' },
        {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { type: 'integer', minimum: 400, maximum: 599 },
            latencyMs: { type: 'integer', minimum: 0 },
            noticeNumber,
            times: { type: 'integer', minimum: 1 },
          },
        },
      ],
    },
    label: (p) => `${kind} ${JSON.stringify(p)}`,
    async run(raw, ctx) {
      const p = ctx.resolve(raw) as 'clear' | { status?: number; latencyMs?: number; noticeNumber?: string; times?: number };
      if (p === 'clear') clear(ctx);
      else inject(ctx, { status: p.status, latencyMs: p.latencyMs, noticeCode: p.noticeNumber, times: p.times });
      return { kind: 'done', checks: [] };
    },
  };
}
