/**
 * SEND SYNC mode (docs/send.md §4): a position linked to SEND asks the price API at verify
 * and at paGetPayment time and serves base + totalPrice. 404 → base amount, no fee;
 * 5xx, garbage or slow (bounded timeout) → base amount, the reason noted in the journal.
 */
import { correlationHeaders, type Journal } from '../soap/index.ts';
import { formatCents, type Metadata, type Position, type Transfer } from './model.ts';

export const DEFAULT_SEND_TIMEOUT_MS = 3000;

export type PriceOutcome =
  | { kind: 'price'; totalPrice: number; status: number }
  | { kind: 'notFound'; status: number; code?: string }
  | { kind: 'unavailable'; why: string; status?: number };

export interface PriceCall {
  baseUrl: string | undefined;
  fiscalCode: string;
  noticeNumber: string;
  timeoutMs: number;
  journal: Journal;
  party: string;
  now: () => Date;
  operation: string;
}

function record(c: PriceCall, url: string, started: number, status: number | undefined, response: string, notes: string[]): void {
  c.journal.record({
    at: c.now().toISOString(),
    party: c.party,
    direction: 'outbound',
    from: c.party,
    to: 'send',
    operation: 'sendPrice',
    url,
    request: `GET ${url}`,
    response,
    httpStatus: status,
    durationMs: performance.now() - started,
    notes,
    meta: { noticeNumber: c.noticeNumber, idPA: c.fiscalCode, during: c.operation },
  });
}

/** GET <baseUrl>/delivery/v2.3/price/{paTaxId}/{noticeCode}; never throws. */
export async function fetchSendPrice(c: PriceCall): Promise<PriceOutcome> {
  if (!c.baseUrl) return { kind: 'unavailable', why: 'no SEND base URL configured for the station' };
  const url = `${c.baseUrl.replace(/\/+$/, '')}/delivery/v2.3/price/${encodeURIComponent(c.fiscalCode)}/${encodeURIComponent(c.noticeNumber)}`;
  const started = performance.now();
  let status: number | undefined;
  let body = '';
  try {
    const res = await fetch(url, { headers: { accept: 'application/json', ...correlationHeaders() }, signal: AbortSignal.timeout(c.timeoutMs) });
    status = res.status;
    body = await res.text();
  } catch (e) {
    const err = e as Error;
    const why =
      err.name === 'TimeoutError' || err.name === 'AbortError'
        ? `no answer within ${c.timeoutMs} ms`
        : `cannot reach SEND: ${(err.cause as Error | undefined)?.message ?? err.message}`;
    record(c, url, started, undefined, '', [`SEND price call failed: ${why}`]);
    return { kind: 'unavailable', why };
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  if (status === 404) {
    const code = (json as { errors?: Array<{ code?: string }> } | undefined)?.errors?.[0]?.code;
    record(c, url, started, status, body, [`SEND price: 404${code ? ` ${code}` : ''}: notice not in a notification, base amount served`]);
    return { kind: 'notFound', status, ...(code ? { code } : {}) };
  }
  const total = (json as { totalPrice?: unknown } | undefined)?.totalPrice;
  if (status === 200 && typeof total === 'number' && Number.isInteger(total) && total >= 0) {
    record(c, url, started, status, body, [`SEND price: totalPrice ${total} eurocent`]);
    return { kind: 'price', totalPrice: total, status };
  }
  const why = status === 200 ? 'HTTP 200 without an integer totalPrice' : `HTTP ${status}`;
  record(c, url, started, status, body, [`SEND price call failed: ${why}`]);
  return { kind: 'unavailable', why, status };
}

/** What the station serves for a position at one call: amount, transfers and payment metadata. */
export interface Quote {
  amountCents: number;
  transfers: Transfer[];
  metadata: Metadata;
  notes: string[];
  feeCents?: number;
}

/** The index of the transfer that carries the fee: the EC's own first IBAN transfer. */
function feeTransferIndex(p: Position): number {
  const own = p.transfers.findIndex((t) => t.fiscalCode === p.fiscalCode && !t.stamp);
  if (own >= 0) return own;
  const anyIban = p.transfers.findIndex((t) => !t.stamp);
  return Math.max(anyIban, 0);
}

export function baseQuote(p: Position): Quote {
  return {
    amountCents: p.transfers.reduce((a, t) => a + t.amountCents, 0),
    transfers: p.transfers.map((t) => ({ ...t, metadata: [...t.metadata] })),
    metadata: [...p.metadata],
    notes: [],
  };
}

/** Applies a price outcome to the position's base quote (docs/send.md §4.2). */
export function applyPrice(p: Position, price: PriceOutcome): Quote {
  const q = baseQuote(p);
  if (price.kind === 'notFound') {
    q.notes.push(`SEND price 404${price.code ? ` ${price.code}` : ''}: base amount ${formatCents(q.amountCents)}, no NOTIFICATION_FEE`);
    return q;
  }
  if (price.kind === 'unavailable') {
    q.notes.push(`SEND price unavailable (${price.why}): base amount ${formatCents(q.amountCents)} served, no NOTIFICATION_FEE`);
    return q;
  }
  const fee = price.totalPrice;
  const i = feeTransferIndex(p);
  q.transfers[i] = { ...q.transfers[i]!, amountCents: q.transfers[i]!.amountCents + fee };
  q.amountCents += fee;
  q.metadata = [...q.metadata.filter((m) => m.key !== 'NOTIFICATION_FEE'), { key: 'NOTIFICATION_FEE', value: String(fee) }];
  q.feeCents = fee;
  q.notes.push(`SEND price ${fee} eurocent added to transfer ${i + 1}: amount ${formatCents(q.amountCents)}`);
  return q;
}
