/** Expects the price-API calls a station made while it answered the Nodo (expectPriceCalls step kind). */
import type { Exchange } from '../../soap/index.ts';
import { checkCount, fail, pass, type Check } from '../expect.ts';
import { fiscalCode, noticeNumber, line, stepEc } from '../sendSteps.ts';
import type { StepKind } from '../step.ts';

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
    out.set(
      sc,
      priceCalls.filter((p) => arrival(p) >= prev && arrival(p) < sc.seq),
    );
    prev = sc.seq;
  }
  return out;
}

const expectPriceCalls: StepKind = {
  kind: 'expectPriceCalls',
  describe:
    "Checks that the station asked SEND's price API for a notice while answering each listed primitive (e.g. at verify and at activate), and/or the number of calls",
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['noticeNumber'],
    properties: {
      fiscalCode,
      noticeNumber,
      during: { type: 'array', items: { enum: ['paVerifyPaymentNotice', 'paGetPayment', 'paGetPaymentV2'] } },
      count: { type: 'integer', minimum: 0 },
    },
  },
  label: (p) => `expectPriceCalls ${(p as ExpectPriceCalls).noticeNumber} ${((p as ExpectPriceCalls).during ?? []).join(' ')}`,
  async run(raw, ctx) {
    const p = ctx.resolve(raw) as ExpectPriceCalls;
    await ctx.world.send.settle();
    const org = stepEc(ctx, p.fiscalCode);
    const price = ctx.journal.list({ party: 'send', operation: 'retrieveNotificationPriceV23', meta: { noticeNumber: p.noticeNumber, idPA: org } });
    const stationCalls = ctx.journal
      .list({ party: 'nodo', direction: 'outbound', meta: { noticeNumber: p.noticeNumber } })
      .filter((e) => e.to.startsWith('station:') && ['paVerifyPaymentNotice', 'paGetPayment', 'paGetPaymentV2'].includes(e.operation));
    const byCall = priceCallsDuring(stationCalls, price);
    const checks: Check[] = [];
    for (const prim of p.during ?? []) {
      const calls = stationCalls.filter((s) => s.operation === prim);
      const name = `the station asked SEND's price for ${p.noticeNumber} while answering ${prim}`;
      if (!calls.length)
        checks.push(fail(name, { type: 'missing', path: prim, expected: `a ${prim} to the station`, actual: 'no such call from the Nodo' }, line(ctx)));
      else {
        const missed = calls.filter((c) => !(byCall.get(c) ?? []).length);
        checks.push(
          missed.length === 0
            ? pass(name, line(ctx))
            : fail(
                name,
                {
                  type: 'missing',
                  path: `send:price:${p.noticeNumber}`,
                  expected: `GET /delivery/v2.3/price during each of ${calls.length} ${prim}`,
                  actual: `${missed.length} ${prim} without a price call`,
                  hint: 'docs/send.md §4.1: a SYNC station must ask the price at verify and again at paGetPayment[V2], since it changes over time',
                },
                line(ctx),
              ),
        );
      }
    }
    if (p.count !== undefined)
      checks.push(
        checkCount(`SEND's price API was called ${p.count} time(s) for ${p.noticeNumber}`, `send:price:${p.noticeNumber}`, p.count, price.length, line(ctx)),
      );
    return { kind: 'done', value: { calls: price.map((x) => ({ at: x.at, httpStatus: x.httpStatus })) }, checks };
  },
};

export default expectPriceCalls;
