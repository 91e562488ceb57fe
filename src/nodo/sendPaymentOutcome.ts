/**
 * sendPaymentOutcome and sendPaymentOutcomeV2 (docs/primitives.md §3 phases 3-4, §6.4-6.5,
 * §9): never calls the station. Digital stamps (V2) are validated as documents first
 * (stamps.ts); then idempotency, then per token: unknown, already acquired, expired
 * (TOKEN_SCADUTO / TOKEN_SCADUTO_KO / PAGAMENTO_DUPLICATO), then the outcome: OK closes
 * the payment and hands it to receipt delivery; KO frees the notice.
 * The handler never awaits between judging the tokens and closing their sessions, so of
 * concurrent outcomes on one token exactly one is accepted and the others find it
 * acquired (PPT_ESITO_GIA_ACQUISITO) or replay it (same idempotencyKey).
 */
import type { HandlerResult, SoapRequestContext } from '../soap/index.ts';
import type { BuildObject } from '../xml/index.ts';
import { asArray, pick, type XmlObject } from '../xml/index.ts';
import type { NodoContext } from './context.ts';
import type { PptCode } from './faults.ts';
import { nodoKo, precheck, pspResponse, s, type Meta } from './respond.ts';
import { checkIdempotency } from './idempotency.ts';
import type { PaymentSession } from './sessions.ts';
import { checkStamps } from './stamps.ts';

type TokenVerdict = { ok: true; session: PaymentSession; late: boolean } | { ok: false; code: PptCode; why: string; session?: PaymentSession };

function judge(ctx: NodoContext, token: string, idPSP: string, outcome: string): TokenVerdict {
  const session = ctx.sessions.get(token);
  if (!session || session.psp.idPSP !== idPSP)
    return { ok: false, code: 'PPT_TOKEN_SCONOSCIUTO', why: `paymentToken ${token} is unknown${session ? ` to PSP ${idPSP}` : ''}` };
  if (session.outcome)
    return {
      ok: false,
      code: 'PPT_ESITO_GIA_ACQUISITO',
      why: `an outcome ${session.outcome.outcome} was already received for paymentToken ${token} at ${session.outcome.at}`,
      session,
    };
  if (!ctx.sessions.isExpired(session)) return { ok: true, session, late: false };
  if (outcome === 'KO')
    return {
      ok: false,
      code: 'PPT_TOKEN_SCADUTO_KO',
      why: `paymentToken ${token} expired at ${session.expiresAt}; the KO outcome is recorded, the notice is payable again`,
      session,
    };
  const other = ctx.sessions.paid(session.fiscalCode, session.noticeNumber) ?? ctx.sessions.live(session.fiscalCode, session.noticeNumber);
  if (other && other.paymentToken !== token)
    return {
      ok: false,
      code: 'PPT_PAGAMENTO_DUPLICATO',
      why: `paymentToken ${token} expired at ${session.expiresAt} and notice ${session.noticeNumber} was meanwhile taken by paymentToken ${other.paymentToken}; refund the payer or report the payment with code 9`,
      session,
    };
  return { ok: true, session, late: true };
}

export async function sendPaymentOutcome(ctx: NodoContext, req: SoapRequestContext): Promise<HandlerResult> {
  const v2 = req.operation.name === 'sendPaymentOutcomeV2';
  const body = req.message.bodyChild.value;
  const idPSP = s(body['idPSP']) ?? '';
  const tokens = v2 ? asArray(pick(body, 'paymentTokens.paymentToken') as string | string[] | undefined) : [s(body['paymentToken']) ?? ''];
  const outcome = s(body['outcome']) ?? '';
  const meta: Meta = { idPSP, idChannel: s(body['idChannel']), paymentToken: tokens.join(','), outcome };
  // Syntax, inside the attachments: every digital stamp must be a valid marcaDaBollo (issue 14 item 2).
  if (v2 && req.message.issues.length === 0) {
    const stamps = checkStamps(body['details']);
    if (!stamps.ok)
      return {
        ...nodoKo(req, 'PPT_SINTASSI_XSD', stamps.why, meta, stamps.serial),
        ...(stamps.notes.length ? { notes: [stamps.why, ...stamps.notes, 'PSP gets PPT_SINTASSI_XSD'] } : {}),
      };
  }
  const pre = precheck(ctx, req, meta);
  if (!pre.ok) return pre.result;

  const { key, print, answer: replayed } = checkIdempotency(ctx, req, 'outcome', idPSP, meta);
  if (replayed) return replayed;
  if (new Set(tokens).size !== tokens.length) return nodoKo(req, 'PPT_SEMANTICA', `paymentTokens lists the same token twice (${tokens.join(', ')})`, meta);
  const details = body['details'] as XmlObject | undefined;
  if (outcome === 'OK' && !details && ctx.options.requireDetailsOnOk)
    return nodoKo(req, 'PPT_SEMANTICA', 'outcome OK without details (paymentMethod, fee, applicationDate, transferDate); the receipt needs them', meta);

  const verdicts = tokens.map((t) => judge(ctx, t, idPSP, outcome));
  const first = verdicts.findIndex((v) => !v.ok);
  const at = ctx.clock.now().toISOString();
  const primitive = v2 ? 'sendPaymentOutcomeV2' : 'sendPaymentOutcome';
  if (first >= 0) {
    const bad = verdicts[first] as Extract<TokenVerdict, { ok: false }>;
    // A late KO is still acquired: the session is closed and the notice is free again.
    if (bad.code === 'PPT_TOKEN_SCADUTO_KO' && bad.session) closeSession(ctx, bad.session, { outcome: 'KO', at, primitive, details, late: true });
    const m = bad.session ? { ...meta, fiscalCode: bad.session.fiscalCode, noticeNumber: bad.session.noticeNumber } : meta;
    return nodoKo(req, bad.code, bad.why, m, v2 ? first + 1 : undefined);
  }

  const notes: string[] = [];
  let lateCode: PptCode | undefined;
  for (const v of verdicts as Extract<TokenVerdict, { ok: true }>[]) {
    if (v.late && !ctx.options.lateOkCompletesPayment)
      return nodoKo(
        req,
        'PPT_TOKEN_SCADUTO',
        `paymentToken ${v.session.paymentToken} expired at ${v.session.expiresAt}; the payment is not completed (lateOkCompletesPayment=false)`,
        meta,
      );
    closeSession(ctx, v.session, { outcome: outcome as 'OK' | 'KO', at, primitive, details, late: v.late });
    notes.push(
      outcome === 'OK'
        ? `payment ${v.session.paymentToken} closed PAID${v.late ? ' (late outcome accepted, no concurrent payment)' : ''}; receipt delivery started`
        : `payment ${v.session.paymentToken} closed KO; notice ${v.session.noticeNumber} is payable again`,
    );
    if (v.late) lateCode = 'PPT_TOKEN_SCADUTO';
  }
  const s0 = (verdicts[0] as Extract<TokenVerdict, { ok: true }>).session;
  const okMeta: Meta = { ...meta, fiscalCode: s0.fiscalCode, noticeNumber: s0.noticeNumber, idStation: s0.ec.idStation };
  const response: BuildObject = lateCode
    ? (
        nodoKo(req, lateCode, `paymentToken expired before the outcome; no concurrent payment is known, so the payment was completed`, okMeta) as Extract<
          HandlerResult,
          { kind: 'response' }
        >
      ).body
    : pspResponse(req.operation.response, { outcome: 'OK' });
  if (key)
    ctx.sessions.remember('outcome', idPSP, key, {
      fingerprint: print,
      response,
      meta: okMeta,
      expiresAt: ctx.clock.now().getTime() + ctx.settings().idempotencyKeyValidityMs,
    });
  if (outcome === 'OK') for (const v of verdicts as Extract<TokenVerdict, { ok: true }>[]) deliver(ctx, v.session);
  return { kind: 'response', body: response, notes: lateCode ? [...notes, `PSP gets ${lateCode}`] : notes, meta: okMeta };
}

function closeSession(ctx: NodoContext, session: PaymentSession, outcome: NonNullable<PaymentSession['outcome']>): void {
  // judge() ran in this same tick, so the store cannot refuse; if it does, it is our bug.
  if (!ctx.sessions.close(session, outcome))
    ctx.onBug(
      `the outcome ${outcome.outcome} for paymentToken ${session.paymentToken} was judged acceptable but the session could not be closed (already closed, or notice ${session.noticeNumber} paid by another token)`,
    );
}

function deliver(ctx: NodoContext, session: PaymentSession): void {
  if (!ctx.receipts) return;
  try {
    void Promise.resolve(ctx.receipts.deliver(session)).catch((e: unknown) =>
      ctx.onBug(`receipt delivery of ${session.paymentToken} failed: ${(e as Error).message}`),
    );
  } catch (e) {
    ctx.onBug(`receipt delivery of ${session.paymentToken} failed: ${(e as Error).message}`);
  }
}
