/** Submits a SEND notification over HTTP (sendNotification step kind). */
import { checkFields, fail, pass, type Check, type Matcher } from '../expect.ts';
import { fiscalCode, noticeNumber, fields, line, stepEc } from '../sendSteps.ts';
import type { StepKind } from '../step.ts';

interface PaymentParam {
  fiscalCode?: string;
  noticeNumber: string;
  applyCost: boolean;
}

interface SendNotificationParams {
  pagoPaIntMode?: 'NONE' | 'SYNC' | 'ASYNC' | null;
  notificationFeePolicy?: 'FLAT_RATE' | 'DELIVERY_MODE';
  paFee?: number | null;
  vat?: number | null;
  payments?: PaymentParam[];
  recipients?: PaymentParam[][];
  /** Expected HTTP status of the submission (default 202). */
  httpStatus?: number;
  /** Fields of the response body (400/409 problem or 202). */
  fields?: Record<string, Matcher>;
}

const payment = {
  type: 'object',
  additionalProperties: false,
  required: ['noticeNumber', 'applyCost'],
  properties: { fiscalCode, noticeNumber, applyCost: { type: 'boolean' } },
};

const sendNotification: StepKind = {
  kind: 'sendNotification',
  describe: 'Submits a SEND notification (POST /send/delivery/v2.6/requests over HTTP) and waits for its asynchronous validation',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      pagoPaIntMode: { enum: ['NONE', 'SYNC', 'ASYNC', null] },
      notificationFeePolicy: { enum: ['FLAT_RATE', 'DELIVERY_MODE'] },
      paFee: { type: ['integer', 'null'] },
      vat: { type: ['integer', 'null'] },
      payments: { type: 'array', items: payment },
      recipients: { type: 'array', minItems: 1, items: { type: 'array', items: payment } },
      httpStatus: { type: 'integer' },
      fields,
    },
  },
  label: (p) => {
    const q = p as SendNotificationParams;
    const navs = (q.recipients ?? [q.payments ?? []]).flat().map((x) => x.noticeNumber);
    return `sendNotification ${q.pagoPaIntMode ?? '(default mode)'} ${q.notificationFeePolicy ?? 'DELIVERY_MODE'} ${navs.join(' ')}`;
  },
  async run(raw, ctx) {
    const p = ctx.resolve(raw) as SendNotificationParams;
    const policy = p.notificationFeePolicy ?? 'DELIVERY_MODE';
    const recipients = p.recipients ?? [p.payments ?? []];
    const body = {
      paProtocolNumber: ctx.nextId('prot-'),
      subject: 'Notifica di prova',
      notificationFeePolicy: policy,
      ...(p.paFee === null ? {} : { paFee: p.paFee ?? (policy === 'DELIVERY_MODE' ? 100 : undefined) }),
      ...(p.vat === null ? {} : { vat: p.vat ?? (policy === 'DELIVERY_MODE' ? 22 : undefined) }),
      ...(p.pagoPaIntMode ? { pagoPaIntMode: p.pagoPaIntMode } : {}),
      recipients: recipients.map((pays, i) => ({
        recipientType: 'PF',
        taxId: `RSSMRA80A0${i % 10}H501U`,
        denomination: `Destinatario ${i}`,
        payments: pays.map((x) => ({ pagoPa: { noticeCode: x.noticeNumber, creditorTaxId: stepEc(ctx, x.fiscalCode), applyCost: x.applyCost } })),
      })),
    };
    let status: number;
    let res: Record<string, unknown>;
    try {
      const r = await fetch(`${ctx.world.baseUrl}/send/delivery/v2.6/requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: ctx.signal,
      });
      status = r.status;
      res = (await r.json()) as Record<string, unknown>;
    } catch (e) {
      return { kind: 'error', message: `Failed to submit the SEND notification: ${(e as Error).message}. Check the world is started.` };
    }
    await ctx.world.send.settle();
    const expected = p.httpStatus ?? 202;
    const checks: Check[] = [
      status === expected
        ? pass(`SEND answered HTTP ${expected}`, line(ctx))
        : fail(
            `SEND answered HTTP ${expected}`,
            { type: 'value', path: 'httpStatus', expected: String(expected), actual: `${status} ${JSON.stringify(res['errors'] ?? res['detail'] ?? '')}` },
            line(ctx),
          ),
    ];
    if (p.fields) checks.push(...checkFields(res, p.fields, 'SEND response', line(ctx)));
    const id = res['notificationRequestId'];
    const rec = typeof id === 'string' ? ctx.world.send.request(id) : undefined;
    return {
      kind: 'done',
      value: { httpStatus: status, ...res, ...(rec ? { status: rec.status, iun: rec.status === 'ACCEPTED' ? rec.iun : undefined } : {}) },
      checks,
    };
  },
};

export default sendNotification;
