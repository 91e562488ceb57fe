/**
 * SEND and GPD step kinds (issue 9): create GPD positions, submit a SEND notification
 * over HTTP, advance the SEND cost phases, inject price-API failures, and expect the
 * request status, the GPD fee and the price-API calls made while a station answered
 * the Nodo. Format: src/send/README.md "Scenario steps".
 */
import type { DebtPositionInput } from '../../send/gpdModel.ts';
import type { PhaseRequest } from '../../send/sendService.ts';
import type { Exchange } from '../../soap/exchange.ts';
import { checkCount, checkFields, fail, pass, type Check, type Matcher } from '../expect.ts';
import type { StepContext, StepKind } from '../step.ts';

const fiscalCode = { type: 'string', pattern: '^[0-9]{11}$' };
const noticeNumber = { type: 'string', pattern: '^(\\$\\{[^}]+\\}|[0-9]{18})$' };
const fields = { type: 'object', additionalProperties: { $ref: 'urn:pagopa-station-harness:scenario#/$defs/matcher' } };
const line = (ctx: StepContext) => ctx.step.at.line;
const defaultEc = (ctx: StepContext, fc?: string) => fc ?? ctx.scenario.setup.notice?.fiscalCode ?? '77777777777';

// ---------------------------------------------------------------- gpdPosition

interface GpdPositionParams {
  fiscalCode?: string;
  iupd?: string;
  noticeNumber?: string;
  amount?: number;
  description?: string;
  iban?: string;
  /** Extra transfer to another EC (multi-beneficiary): fiscal code and amount in eurocent. */
  secondary?: { fiscalCode: string; amount: number; iban: string };
  status?: 'draft' | 'valid' | 'invalid' | 'paid';
  notificationFee?: number;
  position?: DebtPositionInput;
}

function shorthandPosition(p: GpdPositionParams, iupd: string): DebtPositionInput {
  const nav = p.noticeNumber!;
  const amount = p.amount ?? 10000;
  const secondary = p.secondary;
  return {
    iupd,
    type: 'F',
    fiscalCode: 'RSSMRA80A01H501U',
    fullName: 'Mario Rossi',
    companyName: 'Ente Creditore',
    paymentOption: [
      {
        iuv: nav.slice(1),
        nav,
        amount: amount + (secondary?.amount ?? 0),
        description: p.description ?? 'Avviso di pagamento',
        isPartialPayment: false,
        dueDate: '2026-12-31',
        transfer: [
          { idTransfer: '1', amount, remittanceInformation: p.description ?? 'Avviso di pagamento', category: '0101101IM', iban: p.iban ?? 'IT60X0542811101000000123456' },
          ...(secondary ? [{ idTransfer: '2' as const, amount: secondary.amount, organizationFiscalCode: secondary.fiscalCode, remittanceInformation: 'Quota', category: '0101101IM', iban: secondary.iban }] : []),
        ],
      },
    ],
  };
}

const gpdPosition: StepKind = {
  kind: 'gpdPosition',
  describe: 'Creates a debt position in the GPD emulator (shorthand: noticeNumber + amount in eurocent, or a full GPD `position`), published unless status says otherwise',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      fiscalCode,
      iupd: { type: 'string', minLength: 1 },
      noticeNumber,
      amount: { type: 'integer', minimum: 1 },
      description: { type: 'string', minLength: 1, maxLength: 140 },
      iban: { type: 'string' },
      secondary: { type: 'object', required: ['fiscalCode', 'amount', 'iban'], additionalProperties: false, properties: { fiscalCode, amount: { type: 'integer', minimum: 1 }, iban: { type: 'string' } } },
      status: { enum: ['draft', 'valid', 'invalid', 'paid'] },
      notificationFee: { type: 'integer', minimum: 0 },
      position: { type: 'object' },
    },
  },
  label: (p) => `gpdPosition ${(p as GpdPositionParams).noticeNumber ?? (p as GpdPositionParams).position?.iupd ?? ''}`,
  check(p, ctx) {
    const q = p as GpdPositionParams;
    if (!q.noticeNumber && !q.position) return [ctx.issueAt([], 'SCENARIO_GPD', 'Failed to load the scenario: gpdPosition needs noticeNumber (shorthand) or position (full GPD body). Add one.')];
    return [];
  },
  async run(raw, ctx) {
    const p = ctx.resolve(raw) as GpdPositionParams;
    const org = defaultEc(ctx, p.fiscalCode);
    const input = p.position ?? shorthandPosition(p, p.iupd ?? `IUPD-${p.noticeNumber}`);
    const gpd = ctx.world.gpd;
    const created = gpd.createPosition(org, input, { toPublish: p.status !== 'draft' });
    if (!created.ok) return { kind: 'error', message: `Failed to create the GPD position: ${created.problem.detail}` };
    const nav = created.value.paymentOption[0]!.nav;
    if (p.notificationFee !== undefined) {
      const r = gpd.store.setNotificationFee(org, nav, p.notificationFee);
      if (!r.ok) return { kind: 'error', message: `Failed to set the GPD notification fee: ${r.problem.detail}` };
    }
    if (p.status === 'invalid') gpd.store.invalidate(org, created.value.iupd);
    if (p.status === 'paid') gpd.store.markPaid(org, nav, { receiptId: ctx.nextId('setup-'), version: 'V2' });
    return { kind: 'done', value: gpd.store.get(org, created.value.iupd), checks: [] };
  },
};

// ---------------------------------------------------------------- sendNotification

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

const payment = { type: 'object', additionalProperties: false, required: ['noticeNumber', 'applyCost'], properties: { fiscalCode, noticeNumber, applyCost: { type: 'boolean' } } };

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
        payments: pays.map((x) => ({ pagoPa: { noticeCode: x.noticeNumber, creditorTaxId: defaultEc(ctx, x.fiscalCode), applyCost: x.applyCost } })),
      })),
    };
    let status: number;
    let res: Record<string, unknown>;
    try {
      const r = await fetch(`${ctx.world.baseUrl}/send/delivery/v2.6/requests`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: ctx.signal });
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
        : fail(`SEND answered HTTP ${expected}`, { type: 'value', path: 'httpStatus', expected: String(expected), actual: `${status} ${JSON.stringify(res['errors'] ?? res['detail'] ?? '')}` }, line(ctx)),
    ];
    if (p.fields) checks.push(...checkFields(res, p.fields, 'SEND response', line(ctx)));
    const id = res['notificationRequestId'];
    const rec = typeof id === 'string' ? ctx.world.send.request(id) : undefined;
    return { kind: 'done', value: { httpStatus: status, ...res, ...(rec ? { status: rec.status, iun: rec.status === 'ACCEPTED' ? rec.iun : undefined } : {}) }, checks };
  },
};

// ---------------------------------------------------------------- sendPhase

const sendPhase: StepKind = {
  kind: 'sendPhase',
  describe: 'Advances the SEND cost lifecycle of an accepted notification (paper attempts with analogCost, REFINEMENT, NOTIFICATION_VIEWED, NOTIFICATION_CANCELLED)',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['iun', 'phase'],
    properties: {
      iun: { type: 'string', minLength: 1 },
      phase: { enum: ['SEND_ANALOG_DOMICILE_ATTEMPT_0', 'SEND_ANALOG_DOMICILE_ATTEMPT_1', 'SEND_SIMPLE_REGISTERED_LETTER', 'REFINEMENT', 'NOTIFICATION_VIEWED', 'NOTIFICATION_CANCELLED'] },
      recIndex: { type: 'integer', minimum: 0 },
      analogCost: { type: 'integer', minimum: 0 },
    },
  },
  label: (p) => `sendPhase ${(p as { phase: string }).phase}`,
  check(p, ctx) {
    const q = p as { phase: string; analogCost?: number };
    return q.phase.startsWith('SEND_') && q.analogCost === undefined ? [ctx.issueAt(['analogCost'], 'SCENARIO_SEND', `Failed to load the scenario: ${q.phase} needs analogCost (eurocent). Add it.`)] : [];
  },
  async run(raw, ctx) {
    const out = await ctx.world.send.advancePhase(ctx.resolve(raw) as PhaseRequest);
    await ctx.world.send.settle();
    if (!out.ok) return { kind: 'error', message: out.problem.detail };
    return { kind: 'done', value: out.value, checks: [] };
  },
};

// ---------------------------------------------------------------- sendPriceInjection / gpdInjection

interface FailureInjection {
  status?: number;
  latencyMs?: number;
  noticeCode?: string;
  times?: number;
}

/** A step that makes one emulated REST call fail or slow down (`clear` removes the injections). */
function failureInjectionStep(kind: string, describe: string, inject: (ctx: StepContext, i: FailureInjection) => void, clear: (ctx: StepContext) => void): StepKind {
  return {
    kind,
    describe,
    schema: {
      anyOf: [
        { const: 'clear' },
        {
          type: 'object',
          additionalProperties: false,
          properties: { status: { type: 'integer', minimum: 400, maximum: 599 }, latencyMs: { type: 'integer', minimum: 0 }, noticeNumber, times: { type: 'integer', minimum: 1 } },
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

const sendPriceInjection = failureInjectionStep(
  'sendPriceInjection',
  "Makes SEND's price API fail (status) or slow (latencyMs), for one notice and/or N calls; `clear` removes them",
  (ctx, i) => ctx.world.send.injectPrice(i),
  (ctx) => ctx.world.send.clearPriceInjections(),
);

const gpdInjection = failureInjectionStep(
  'gpdInjection',
  "Makes GPD's notificationfee update fail (status, e.g. 503) or slow (latencyMs), for one notice and/or N calls; `clear` removes them",
  (ctx, i) => ctx.world.gpd.injectFeeFailure(i),
  (ctx) => ctx.world.gpd.clearInjections(),
);

// ---------------------------------------------------------------- expectSendRequest

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
    const r = await fetch(`${ctx.world.baseUrl}/send/delivery/v2.6/requests?notificationRequestId=${encodeURIComponent(p.notificationRequestId)}`, { signal: ctx.signal });
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
      checks.push(JSON.stringify(actual) === JSON.stringify(expected) ? pass(name, line(ctx)) : fail(name, { type: 'value', path: 'harnessFindings', expected: expected.join(', ') || '(none)', actual: actual.join(', ') || '(none)' }, line(ctx)));
    }
    return { kind: 'done', value: body, checks };
  },
};

// ---------------------------------------------------------------- expectGpdFee

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
  describe: "Checks a GPD payment option: notificationFee and amount (eurocent), status, and how many notificationfee updates SEND sent",
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['noticeNumber'],
    properties: { fiscalCode, noticeNumber, notificationFee: { type: 'integer', minimum: 0 }, amount: { type: 'integer', minimum: 0 }, status: { enum: ['PO_UNPAID', 'PO_PAID'] }, updates: { type: 'integer', minimum: 0 } },
  },
  label: (p) => `expectGpdFee ${(p as ExpectGpdFee).noticeNumber}`,
  async run(raw, ctx) {
    const p = ctx.resolve(raw) as ExpectGpdFee;
    await ctx.world.send.settle();
    const org = defaultEc(ctx, p.fiscalCode);
    const ref = ctx.world.gpd.store.findOption(org, p.noticeNumber);
    const checks: Check[] = [];
    const asksOption = p.notificationFee !== undefined || p.amount !== undefined || p.status !== undefined;
    if (!ref && asksOption) {
      checks.push(fail(`GPD holds notice ${org}/${p.noticeNumber}`, { type: 'missing', path: `gpd:${p.noticeNumber}`, expected: 'a payment option', actual: '(absent)' }, line(ctx)));
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

// ---------------------------------------------------------------- expectPriceCalls

interface ExpectPriceCalls {
  fiscalCode?: string;
  noticeNumber: string;
  /** Primitives during which the station must have asked SEND's price (docs/send.md §7.4 item 1). */
  during?: string[];
  /** Exact number of price calls for the notice in the whole scenario. */
  count?: number;
}

/**
 * Price calls made while the Nodo waited for a station: those that ARRIVED after the Nodo's
 * previous station call for the notice was recorded and before this one was (a station
 * asks the price inside its handling; a slow price call may be recorded after the station
 * gave up, so arrival, `meta.arrivedAfterSeq`, is what counts).
 */
export function priceCallsDuring(stationCalls: Exchange[], priceCalls: Exchange[]): Map<Exchange, Exchange[]> {
  const out = new Map<Exchange, Exchange[]>();
  const arrival = (p: Exchange) => Number(p.meta['arrivedAfterSeq'] ?? p.seq - 1);
  let prev = 0;
  for (const sc of stationCalls) {
    out.set(sc, priceCalls.filter((p) => arrival(p) >= prev && arrival(p) < sc.seq));
    prev = sc.seq;
  }
  return out;
}

const expectPriceCalls: StepKind = {
  kind: 'expectPriceCalls',
  describe: "Checks that the station asked SEND's price API for a notice while answering each listed primitive (e.g. at verify and at activate), and/or the number of calls",
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['noticeNumber'],
    properties: { fiscalCode, noticeNumber, during: { type: 'array', items: { enum: ['paVerifyPaymentNotice', 'paGetPayment', 'paGetPaymentV2'] } }, count: { type: 'integer', minimum: 0 } },
  },
  label: (p) => `expectPriceCalls ${(p as ExpectPriceCalls).noticeNumber} ${((p as ExpectPriceCalls).during ?? []).join(' ')}`,
  async run(raw, ctx) {
    const p = ctx.resolve(raw) as ExpectPriceCalls;
    await ctx.world.send.settle();
    const org = defaultEc(ctx, p.fiscalCode);
    const price = ctx.journal.list({ party: 'send', operation: 'retrieveNotificationPriceV23', meta: { noticeNumber: p.noticeNumber, idPA: org } });
    const stationCalls = ctx.journal.list({ party: 'nodo', direction: 'outbound', meta: { noticeNumber: p.noticeNumber } }).filter((e) => e.to.startsWith('station:') && ['paVerifyPaymentNotice', 'paGetPayment', 'paGetPaymentV2'].includes(e.operation));
    const byCall = priceCallsDuring(stationCalls, price);
    const checks: Check[] = [];
    for (const prim of p.during ?? []) {
      const calls = stationCalls.filter((s) => s.operation === prim);
      const name = `the station asked SEND's price for ${p.noticeNumber} while answering ${prim}`;
      if (!calls.length) checks.push(fail(name, { type: 'missing', path: prim, expected: `a ${prim} to the station`, actual: 'no such call from the Nodo' }, line(ctx)));
      else {
        const missed = calls.filter((c) => !(byCall.get(c) ?? []).length);
        checks.push(
          missed.length === 0
            ? pass(name, line(ctx))
            : fail(name, { type: 'missing', path: `send:price:${p.noticeNumber}`, expected: `GET /delivery/v2.3/price during each of ${calls.length} ${prim}`, actual: `${missed.length} ${prim} without a price call`, hint: 'docs/send.md §4.1: a SYNC station must ask the price at verify and again at paGetPayment[V2], since it changes over time' }, line(ctx)),
        );
      }
    }
    if (p.count !== undefined) checks.push(checkCount(`SEND's price API was called ${p.count} time(s) for ${p.noticeNumber}`, `send:price:${p.noticeNumber}`, p.count, price.length, line(ctx)));
    return { kind: 'done', value: { calls: price.map((x) => ({ at: x.at, httpStatus: x.httpStatus })) }, checks };
  },
};

export default [gpdPosition, gpdInjection, sendNotification, sendPhase, sendPriceInjection, expectSendRequest, expectGpdFee, expectPriceCalls];
