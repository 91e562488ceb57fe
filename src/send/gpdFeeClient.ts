/**
 * SEND → GPD: PUT /organizations/{cf}/paymentoptions/{nav}/notificationfee over HTTP,
 * recorded in the journal (party `send`, outbound), with the outcome classified as
 * pn-external-registries does (docs/send.md §3.1): 200/209 OK, 404/422 KO, anything else RETRY.
 */
import { correlationHeaders, type Journal } from '../soap/index.ts';

export type GpdFeeResult = 'OK_UPDATED' | 'OK_IN_PAYMENT' | 'KO_NOT_FOUND' | 'KO_CANNOT_UPDATE' | 'KO_RETRY';
export type FeeGroup = 'OK' | 'KO' | 'RETRY';

export interface FeeCallResult {
  result: GpdFeeResult;
  group: FeeGroup;
  httpStatus?: number;
  /** Why, for a RETRY without HTTP status (refused, timeout, no GPD URL). */
  why?: string;
}

export function classify(status: number): GpdFeeResult {
  if (status === 200) return 'OK_UPDATED';
  if (status === 209) return 'OK_IN_PAYMENT';
  if (status === 404) return 'KO_NOT_FOUND';
  if (status === 422) return 'KO_CANNOT_UPDATE';
  return 'KO_RETRY';
}

export const groupOf = (r: GpdFeeResult): FeeGroup => (r.startsWith('OK') ? 'OK' : r === 'KO_RETRY' ? 'RETRY' : 'KO');

export interface FeeCall {
  gpdBaseUrl: string | undefined;
  creditorTaxId: string;
  noticeCode: string;
  fee: number;
  /** Why SEND calls (phase), recorded in the journal. */
  phase: string;
  iun?: string;
  notificationRequestId: string;
}

export async function putNotificationFee(journal: Journal, now: () => Date, timeoutMs: number, c: FeeCall): Promise<FeeCallResult> {
  const body = JSON.stringify({ notificationFee: c.fee });
  const url = c.gpdBaseUrl ? `${c.gpdBaseUrl.replace(/\/$/, '')}/organizations/${c.creditorTaxId}/paymentoptions/${c.noticeCode}/notificationfee` : '';
  const at = now().toISOString();
  const started = performance.now();
  let out: FeeCallResult;
  let responseText = '';
  if (!url) {
    out = { result: 'KO_RETRY', group: 'RETRY', why: 'no GPD base URL configured (createSend gpdBaseUrl / setGpdBaseUrl)' };
  } else {
    try {
      const res = await fetch(url, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', ...correlationHeaders() },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      responseText = await res.text();
      const result = classify(res.status);
      out = { result, group: groupOf(result), httpStatus: res.status };
    } catch (e) {
      const err = e as Error;
      const why =
        err.name === 'TimeoutError'
          ? `no answer within ${timeoutMs} ms`
          : `${err.message}${(err.cause as Error | undefined)?.message ? ` (${(err.cause as Error).message})` : ''}`;
      out = { result: 'KO_RETRY', group: 'RETRY', why };
    }
  }
  journal.record({
    at,
    party: 'send',
    direction: 'outbound',
    from: 'send',
    to: 'gpd',
    operation: 'setNotificationFee',
    url,
    httpStatus: out.httpStatus,
    request: body,
    response: responseText,
    durationMs: performance.now() - started,
    outcome: out.result,
    notes: [`${c.phase}: notificationFee ${c.fee} → ${out.result}${out.why ? ` (${out.why})` : ''}`],
    meta: {
      idPA: c.creditorTaxId,
      noticeNumber: c.noticeCode,
      phase: c.phase,
      iun: c.iun,
      notificationRequestId: c.notificationRequestId,
      notificationFee: c.fee,
    },
  });
  return out;
}
