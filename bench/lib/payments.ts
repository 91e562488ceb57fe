/**
 * Full payments as a PSP makes them through the mock Nodo: verifyPaymentNotice,
 * activatePaymentNoticeV2 (idempotency key), sendPaymentOutcomeV2 OK; the Nodo then
 * delivers the receipt (paSendRTV2) to the station on its own. `workers` payments at a time.
 */
import { notice } from './fixtures.ts';
import { post } from './load.ts';
import { activateV2Req, OK, outcomeV2Req, verifyReq } from './messages.ts';

const TOKEN = /<paymentToken>([^<]+)<\/paymentToken>/;

export async function pay(nodoUrl: string, i: number): Promise<void> {
  const nn = notice(i);
  await post(nodoUrl, 'verifyPaymentNotice', verifyReq(nn), OK);
  const act = await post(nodoUrl, 'activatePaymentNoticeV2', activateV2Req(nn, `a${String(i).padStart(9, '0')}`), OK);
  const token = TOKEN.exec(act)?.[1];
  if (!token) throw new Error(`Failed to read the paymentToken of notice ${nn}: ${act.slice(0, 400)}`);
  await post(nodoUrl, 'sendPaymentOutcomeV2', outcomeV2Req(token, `o${String(i).padStart(9, '0')}`), OK);
}

/**
 * Pays notices `from`..`from+count-1` with `workers` at a time; calls `onWindow` with the
 * payments/s of every `window` payments completed.
 */
export async function payMany(
  nodoUrl: string,
  o: { from: number; count: number; workers: number; window?: number; onWindow?: (index: number, perSecond: number) => void },
): Promise<number> {
  let next = o.from;
  const end = o.from + o.count;
  let done = 0;
  let windowStart = performance.now();
  const started = windowStart;
  const window = o.window ?? o.count;
  const worker = async () => {
    while (next < end) {
      const i = next++;
      await pay(nodoUrl, i);
      done++;
      if (done % window === 0) {
        const now = performance.now();
        o.onWindow?.(done / window, window / ((now - windowStart) / 1000));
        windowStart = now;
      }
    }
  };
  await Promise.all(Array.from({ length: o.workers }, worker));
  return o.count / ((performance.now() - started) / 1000);
}

/** Waits until the station holds `count` receipts (GET /_control/stations/receipts). */
export async function receiptsDelivered(stationBase: string, count: number, timeoutMs = 600_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    const res = await fetch(`${stationBase}/_control/stations/receipts`);
    const n = ((await res.json()) as { receipts: unknown[] }).receipts.length;
    if (n >= count) return performance.now() - started;
    if (performance.now() - started > timeoutMs)
      throw new Error(`Failed to see ${count} receipts delivered to the station within ${timeoutMs} ms: ${n} so far.`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
