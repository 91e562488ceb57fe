/** Expects the notification fee GPD holds for a notice (expectGpdFee step kind). */
import { checkCount, checkFields, fail, type Check, type Matcher } from '../expect.ts';
import { fiscalCode, noticeNumber, line, stepEc } from '../sendSteps.ts';
import type { StepKind } from '../step.ts';

interface ExpectGpdFee {
  fiscalCode?: string;
  noticeNumber: string;
  notificationFee?: number;
  amount?: number;
  status?: 'PO_UNPAID' | 'PO_PAID';
  /** Number of notificationfee PUTs SEND made for this notice. */
  updates?: number;
}

const expectGpdFee: StepKind = {
  kind: 'expectGpdFee',
  describe: 'Checks a GPD payment option: notificationFee and amount (eurocent), status, and how many notificationfee updates SEND sent',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['noticeNumber'],
    properties: {
      fiscalCode,
      noticeNumber,
      notificationFee: { type: 'integer', minimum: 0 },
      amount: { type: 'integer', minimum: 0 },
      status: { enum: ['PO_UNPAID', 'PO_PAID'] },
      updates: { type: 'integer', minimum: 0 },
    },
  },
  label: (p) => `expectGpdFee ${(p as ExpectGpdFee).noticeNumber}`,
  async run(raw, ctx) {
    const p = ctx.resolve(raw) as ExpectGpdFee;
    await ctx.world.send.settle();
    const org = stepEc(ctx, p.fiscalCode);
    const ref = ctx.world.gpd.store.findOption(org, p.noticeNumber);
    const checks: Check[] = [];
    const asksOption = p.notificationFee !== undefined || p.amount !== undefined || p.status !== undefined;
    if (!ref && asksOption) {
      checks.push(
        fail(
          `GPD holds notice ${org}/${p.noticeNumber}`,
          { type: 'missing', path: `gpd:${p.noticeNumber}`, expected: 'a payment option', actual: '(absent)' },
          line(ctx),
        ),
      );
    } else if (ref) {
      const f: Record<string, Matcher> = {};
      if (p.notificationFee !== undefined) f['notificationFee'] = p.notificationFee;
      if (p.amount !== undefined) f['amount'] = p.amount;
      if (p.status) f['status'] = p.status;
      checks.push(...checkFields(ref.option, f, `GPD ${p.noticeNumber}`, line(ctx)));
    }
    if (p.updates !== undefined) {
      const n = ctx.journal.list({ party: 'send', operation: 'setNotificationFee', meta: { noticeNumber: p.noticeNumber } }).length;
      checks.push(checkCount(`SEND sent ${p.updates} notificationfee update(s) for ${p.noticeNumber}`, `send:${p.noticeNumber}`, p.updates, n, line(ctx)));
    }
    return { kind: 'done', value: ref?.option, checks };
  },
};

export default expectGpdFee;
