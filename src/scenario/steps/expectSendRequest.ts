/** Expects a SEND notification request's status (expectSendRequest step kind). */
import { checkFields, fail, pass, type Matcher } from '../expect.ts';
import { line } from '../sendSteps.ts';
import type { StepKind } from '../step.ts';

interface ExpectSendRequest {
  notificationRequestId: string;
  status?: 'WAITING' | 'ACCEPTED' | 'REFUSED';
  errorCode?: string;
  errorDetail?: Matcher;
  findings?: string[];
}

const expectSendRequest: StepKind = {
  kind: 'expectSendRequest',
  describe: 'Checks a SEND notification request (GET status over HTTP): WAITING / ACCEPTED (with iun) / REFUSED with an error code, and the harness findings',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['notificationRequestId'],
    properties: {
      notificationRequestId: { type: 'string', minLength: 1 },
      status: { enum: ['WAITING', 'ACCEPTED', 'REFUSED'] },
      errorCode: { type: 'string' },
      errorDetail: { $ref: 'urn:pagopa-station-harness:scenario#/$defs/matcher' },
      findings: { type: 'array', items: { enum: ['COST_NOT_RECOVERED', 'MIXED_INTEGRATION_MODE'] } },
    },
  },
  label: (p) => `expectSendRequest ${(p as ExpectSendRequest).status ?? ''}`,
  async run(raw, ctx) {
    const p = ctx.resolve(raw) as ExpectSendRequest;
    await ctx.world.send.settle();
    const r = await fetch(`${ctx.world.baseUrl}/send/delivery/v2.6/requests?notificationRequestId=${encodeURIComponent(p.notificationRequestId)}`, {
      signal: ctx.signal,
    });
    const body = (await r.json()) as Record<string, unknown>;
    if (r.status !== 200) return { kind: 'error', message: `Failed to read the SEND request status: HTTP ${r.status} ${String(body['detail'] ?? '')}` };
    const f: Record<string, Matcher> = {};
    if (p.status) f['notificationRequestStatus'] = p.status;
    if (p.status === 'ACCEPTED') f['iun'] = { present: true };
    if (p.status && p.status !== 'ACCEPTED') f['iun'] = { absent: true };
    if (p.errorCode) f['errors.0.code'] = p.errorCode;
    if (p.errorDetail !== undefined) f['errors.0.detail'] = p.errorDetail;
    const checks = checkFields(body, f, 'SEND request', line(ctx));
    if (p.findings) {
      const actual = ((body['harnessFindings'] as Array<{ code: string }> | undefined) ?? []).map((x) => x.code).sort();
      const expected = [...p.findings].sort();
      const name = `harness findings are ${expected.join(', ') || 'none'}`;
      checks.push(
        JSON.stringify(actual) === JSON.stringify(expected)
          ? pass(name, line(ctx))
          : fail(name, { type: 'value', path: 'harnessFindings', expected: expected.join(', ') || '(none)', actual: actual.join(', ') || '(none)' }, line(ctx)),
      );
    }
    return { kind: 'done', value: body, checks };
  },
};

export default expectSendRequest;
