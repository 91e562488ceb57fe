/**
 * activatePaymentNotice and activatePaymentNoticeV2 (docs/primitives.md §3 phase 2, §6.2-6.3,
 * §9): caller checks, idempotency (before routing, as the real Nodo: a reused key is
 * PPT_ERRORE_IDEMPOTENZA even for a notice with no route), routing, paid / in progress,
 * then the notice is locked, paGetPayment[V2] is called on the station (version = station
 * primitiveVersion), the Nodo's semantic rules run, and a new payment session with a
 * paymentToken takes the lock over.
 *
 * Concurrency: everything from the idempotency check to taking the lock runs in one tick
 * (no await), so of N concurrent activations of one notice exactly one reaches the
 * station; the others get PPT_PAGAMENTO_IN_CORSO, or, when they repeat an identical
 * request with the same idempotencyKey, the answer of the one in flight (one token). An
 * activation in flight across a reset creates no session (its lock is of an old generation).
 */
import type { HandlerResult, SoapRequestContext } from '../soap/index.ts';
import type { BuildObject } from '../xml/index.ts';
import { asArray, pick, type XmlObject } from '../xml/index.ts';
import type { NodoContext } from './context.ts';
import { relayPaaFault } from './faults.ts';
import { koResult, nodoKo, precheck, pspResponse, s, type Meta, type Precheck } from './respond.ts';
import { checkGetPaymentResponse } from './semantic.ts';
import { checkIdempotency } from './idempotency.ts';
import type { PaymentSession } from './sessions.ts';
import { MAX_TOKEN_VALIDITY_MS } from './registry.ts';
import { callStation } from './stationCall.ts';
import { routeNotice } from './routing.ts';
import { paHeader, stationVia } from './verifyPaymentNotice.ts';
import { inProgressWhy } from './inProgress.ts';

const transfersOf = (data: XmlObject): XmlObject[] => asArray(pick(data, 'transferList.transfer') as XmlObject | XmlObject[] | undefined);

function transferV1(t: XmlObject): BuildObject {
  return {
    idTransfer: s(t['idTransfer']),
    transferAmount: s(t['transferAmount']),
    fiscalCodePA: s(t['fiscalCodePA']),
    IBAN: s(t['IBAN']),
    remittanceInformation: s(t['remittanceInformation']),
    metadata: t['metadata'] as BuildObject | undefined,
  };
}

function transferV2(t: XmlObject): BuildObject {
  return {
    idTransfer: s(t['idTransfer']),
    transferAmount: s(t['transferAmount']),
    fiscalCodePA: s(t['fiscalCodePA']),
    companyName: s(t['companyName']),
    IBAN: s(t['IBAN']),
    richiestaMarcaDaBollo: t['richiestaMarcaDaBollo'] as BuildObject | undefined,
    remittanceInformation: s(t['remittanceInformation']),
    transferCategory: s(t['transferCategory']),
    metadata: t['metadata'] as BuildObject | undefined,
  };
}

function okBody(v2: boolean, data: XmlObject, fiscalCode: string, token: string, standin: boolean | undefined): BuildObject {
  const transfers = transfersOf(data);
  const common = {
    outcome: 'OK',
    totalAmount: s(data['paymentAmount']),
    paymentDescription: s(data['description']),
    fiscalCodePA: fiscalCode,
    companyName: s(data['companyName']),
    officeName: s(data['officeName']),
    paymentToken: token,
  };
  if (!v2)
    return pspResponse('activatePaymentNoticeRes', {
      ...common,
      transferList: { transfer: transfers.map(transferV1) },
      creditorReferenceId: s(data['creditorReferenceId']),
      standin,
    });
  return pspResponse('activatePaymentNoticeV2Response', {
    ...common,
    transferList: { transfer: transfers.map(transferV2) },
    metadata: data['metadata'] as BuildObject | undefined,
    creditorReferenceId: s(data['creditorReferenceId']),
    standin,
  });
}

/** Why V1 PSP data cannot carry this payment (PPT_MULTI_BENEFICIARIO), if it cannot. */
function v1Incompatibility(ctx: NodoContext, data: XmlObject, fiscalCode: string): string | undefined {
  const transfers = transfersOf(data);
  const stamp = transfers.find((t) => t['richiestaMarcaDaBollo'] !== undefined);
  if (stamp)
    return `transfer ${s(stamp['idTransfer'])} is a digital stamp (richiestaMarcaDaBollo), which activatePaymentNotice (V1) cannot carry; use activatePaymentNoticeV2`;
  const others = [...new Set(transfers.map((t) => s(t['fiscalCodePA'])).filter((f) => f !== fiscalCode))];
  if (ctx.options.rejectV1MultiBeneficiary && others.length)
    return `the notice is multi-beneficiary (secondary EC ${others.join(', ')}) and the station speaks paGetPaymentV2; activatePaymentNotice (V1) is not compatible with it (#198); use activatePaymentNoticeV2`;
  return undefined;
}

export async function activatePaymentNotice(ctx: NodoContext, req: SoapRequestContext): Promise<HandlerResult> {
  const body = req.message.bodyChild.value;
  const fiscalCode = s(pick(body, 'qrCode.fiscalCode')) ?? '';
  const noticeNumber = s(pick(body, 'qrCode.noticeNumber')) ?? '';
  const idPSP = s(body['idPSP']) ?? '';
  const meta: Meta = { fiscalCode, noticeNumber, idPSP, idChannel: s(body['idChannel']) };
  const pre = precheck(ctx, req, meta);
  if (!pre.ok) return pre.result;

  const { key, print, answer: replayed } = checkIdempotency(ctx, req, 'activate', idPSP, meta, 'the notice was not routed');
  if (replayed) return replayed;
  if (key) {
    const flying = ctx.sessions.inflightRequest<HandlerResult>('activate', idPSP, key);
    if (flying && flying.fingerprint !== print)
      return nodoKo(
        req,
        'PPT_ERRORE_IDEMPOTENZA',
        `idempotencyKey ${key} is used by a ${req.operation.name} still in flight with different parameters; the notice was not routed`,
        meta,
      );
    if (flying) {
      const first = await ctx.sessions.joinInflight(flying);
      return {
        ...first,
        notes: [
          `idempotencyKey ${key} matches an identical request still in flight: its answer is returned, no side effect`,
          ...(first.kind === 'response' ? (first.notes ?? []) : []),
        ],
      } as HandlerResult;
    }
  }
  const answer = activateNew(ctx, req, pre, { fiscalCode, noticeNumber, idPSP, key, print, meta });
  if (key) ctx.sessions.trackInflight('activate', idPSP, key, print, answer);
  return answer;
}

const ACTIVATE_REQUEST_FIELDS = ['amount', 'dueDate', 'paymentNote', 'paymentMethod', 'touchPoint', 'expirationTime'] as const;

/** The activate request's own fields the session keeps (those present), in this order. */
function activateRequestOf(body: XmlObject): Record<string, NonNullable<XmlObject[string]>> {
  const out: Record<string, NonNullable<XmlObject[string]>> = {};
  for (const k of ACTIVATE_REQUEST_FIELDS) {
    const v = body[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

interface Activation {
  fiscalCode: string;
  noticeNumber: string;
  idPSP: string;
  key: string | undefined;
  print: string;
  meta: Meta;
}

/** A new activation: routing, paid / in progress, the lock, the station call, the session. */
async function activateNew(ctx: NodoContext, req: SoapRequestContext, pre: Extract<Precheck, { ok: true }>, a: Activation): Promise<HandlerResult> {
  const v2 = req.operation.name === 'activatePaymentNoticeV2';
  const body = req.message.bodyChild.value;
  const { fiscalCode, noticeNumber, idPSP, key, meta } = a;
  const routed = routeNotice(ctx.registry(), fiscalCode, noticeNumber);
  if (!routed.ok) return nodoKo(req, routed.code, routed.why, meta);
  const route = routed.route;
  meta['idStation'] = route.station.stationCode;

  const paid = ctx.sessions.paid(fiscalCode, noticeNumber);
  if (paid)
    return nodoKo(
      req,
      'PPT_PAGAMENTO_DUPLICATO',
      `notice ${noticeNumber} of EC ${fiscalCode} is already paid on pagoPA (paymentToken ${paid.paymentToken}); the station was not called`,
      meta,
    );
  const live = ctx.sessions.live(fiscalCode, noticeNumber);
  if (live) return nodoKo(req, 'PPT_PAGAMENTO_IN_CORSO', inProgressWhy(ctx, live, noticeNumber), { ...meta, paymentToken: live.paymentToken });
  const other = ctx.sessions.activation(fiscalCode, noticeNumber);
  if (other)
    return nodoKo(
      req,
      'PPT_PAGAMENTO_IN_CORSO',
      `notice ${noticeNumber} is being activated by another request (PSP ${other.idPSP}, since ${other.since}) whose station call has not ended; the station was not called`,
      meta,
    );
  // From here to the end of the station call this activation holds the notice.
  const lock = ctx.sessions.beginActivation(fiscalCode, noticeNumber, idPSP);
  try {
    const getV2 = route.station.primitiveVersion === 2;
    const operation = getV2 ? 'paGetPaymentV2' : 'paGetPayment';
    const via = stationVia(ctx, route, meta);
    const r = await callStation({
      journal: ctx.journal,
      now: () => ctx.clock.now(),
      station: via.station,
      url: via.url,
      headers: via.headers,
      operation,
      fields: {
        ...paHeader(route),
        qrCode: { fiscalCode, noticeNumber },
        amount: s(body['amount']),
        paymentNote: s(body['paymentNote']),
        dueDate: s(body['dueDate']),
      },
      timeoutMs: ctx.timeoutFor(route.station, 'paGetPayment'),
      meta,
      check: (v) => checkGetPaymentResponse(v, { registry: ctx.registry(), fiscalCode, noticeNumber, options: ctx.options.semantic }),
    });
    if (!lock.current())
      return nodoKo(
        req,
        'PPT_SYSTEM_ERROR',
        `the mock Nodo was reset while this activation waited for the station's ${operation}; its state is gone, so no payment session was created. Activate again`,
        meta,
      );
    ctx.standIn?.observe(route.station.stationCode, req.operation.name, via, r);
    if (r.kind === 'failed') return nodoKo(req, r.code, r.why, meta);
    if (r.kind === 'ko') return koResult(req, relayPaaFault(r.fault, fiscalCode, pre.caller.channel.newFaultCode), r.notes, meta);
    const data = r.value['data'] as XmlObject;
    if (!v2 && getV2) {
      const why = v1Incompatibility(ctx, data, fiscalCode);
      if (why) return nodoKo(req, 'PPT_MULTI_BENEFICIARIO', why, meta);
    }

    const now = ctx.clock.now();
    const requested = body['expirationTime'] !== undefined ? Number(body['expirationTime']) : ctx.settings().tokenValidityMs;
    const lifetime = Math.min(requested, MAX_TOKEN_VALIDITY_MS);
    const token = ctx.tokens.next();
    const { psp, channel } = pre.caller;
    const session: PaymentSession = {
      paymentToken: token,
      fiscalCode,
      noticeNumber,
      creditorReferenceId: s(data['creditorReferenceId']) ?? '',
      state: 'PAYING',
      activatedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + lifetime).toISOString(),
      psp: {
        idPSP,
        idBrokerPSP: s(body['idBrokerPSP']) ?? '',
        idChannel: channel.channelCode,
        businessName: psp.businessName,
        fiscalCode: psp.fiscalCode,
        vatNumber: psp.vatNumber,
        channelDescription: channel.description,
        activatePrimitive: v2 ? 'activatePaymentNoticeV2' : 'activatePaymentNotice',
      },
      activateRequest: activateRequestOf(body),
      ec: { ...paHeader(route), association: route.association, stationPrimitiveVersion: route.station.primitiveVersion, getPaymentPrimitive: operation },
      data,
    };
    if (!ctx.sessions.add(session, lock)) {
      ctx.onBug(`paymentToken ${token} was generated twice; no session was created for notice ${noticeNumber}`);
      return nodoKo(
        req,
        'PPT_SYSTEM_ERROR',
        `the mock Nodo generated a paymentToken it had already issued; no payment session was created. Activate again`,
        meta,
      );
    }
    if (via.standIn) ctx.standIn?.markPayment(token);
    const response = okBody(v2, data, fiscalCode, token, ctx.standIn ? ctx.standIn.pspFlag(via, channel) : false);
    const okMeta: Meta = { ...meta, paymentToken: token, creditorReferenceId: session.creditorReferenceId };
    if (key) {
      const keyExpiry = Math.min(Date.parse(session.expiresAt), now.getTime() + ctx.settings().idempotencyKeyValidityMs);
      ctx.sessions.remember('activate', idPSP, key, { fingerprint: a.print, response, meta: okMeta, expiresAt: keyExpiry, paymentToken: token });
    }
    const standInNote = via.standIn ? [`station ${route.station.stationCode} is in stand-in: payment data from ACA by ${via.station.stationCode}`] : [];
    return {
      kind: 'response',
      body: response,
      notes: [`paymentToken ${token} created, notice locked until ${session.expiresAt}`, ...standInNote, ...r.notes],
      meta: okMeta,
    };
  } finally {
    lock.release();
  }
}
