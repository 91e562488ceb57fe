/** The text of PPT_PAGAMENTO_IN_CORSO when a session holds the notice (verify and activate share it). */
import type { NodoContext } from './context.ts';
import type { PaymentSession } from './sessions.ts';

/** Why a session still holds its notice: a live token, or an expired one the expiry job has not freed yet. */
export function inProgressWhy(ctx: NodoContext, live: PaymentSession, noticeNumber: string): string {
  if (!ctx.sessions.isExpired(live))
    return `notice ${noticeNumber} is locked by paymentToken ${live.paymentToken} until ${live.expiresAt}; the station was not called`;
  return `notice ${noticeNumber} is still locked by paymentToken ${live.paymentToken}, which expired at ${live.expiresAt}: the Nodo's expiry job frees it at its next run, ${new Date(ctx.sessions.freedAt(live)).toISOString()} (expiryJobPeriod ${ctx.settings().expiryJobPeriodMs} ms); the station was not called`;
}
