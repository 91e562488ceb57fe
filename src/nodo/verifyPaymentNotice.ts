/**
 * verifyPaymentNotice (docs/primitives.md §3 phase 1, §5.1, §6.1): checks, routing, the
 * Nodo's own "paid / in progress" answers without calling the station, then
 * paVerifyPaymentNotice on the station and the mapping of its answer.
 * `verifyNotice` is the part after the caller checks, shared with verificaBollettino
 * (§6.6), which the Nodo serves with the same paVerifyPaymentNotice call.
 */
import type { HandlerResult, SoapRequestContext } from '../soap/index.ts';
import { asArray, pick, type XmlObject } from '../xml/index.ts';
import type { NodoContext } from './context.ts';
import type { Via } from './standIn/index.ts';
import { relayPaaFault } from './faults.ts';
import { koResult, nodoKo, precheck, pspResponse, s, type Meta, type Precheck } from './respond.ts';
import { routeNotice, type Route } from './routing.ts';
import { checkVerifyResponse } from './semantic.ts';
import { callStation } from './stationCall.ts';
import { inProgressWhy } from './inProgress.ts';

/** The routing triple every paForNode request starts with. */
export function paHeader(route: Route): { idPA: string; idBrokerPA: string; idStation: string } {
  return { idPA: route.ec.fiscalCode, idBrokerPA: route.broker.brokerCode, idStation: route.station.stationCode };
}

/** What the station's paVerifyPaymentNotice answered, once every check passed. */
/** Where verify/activate of this route go: the EC's station, or in stand-in the stand-in station answering from ACA on its behalf (src/nodo/standIn), which `meta` records. */
export function stationVia(ctx: NodoContext, route: Route, meta: Meta): Via {
  const via = ctx.standIn?.via(route) ?? { standIn: false, station: route.station, url: ctx.stationUrl(route.station) };
  if (via.standIn) meta['standIn'] = true;
  return via;
}

export interface VerifiedNotice {
  /** The station's response body (XSD-valid, semantic rules passed). */
  value: XmlObject;
  /** Its payment options (paymentList.paymentOptionDescription). */
  options: XmlObject[];
  notes: string[];
  /** The `standin` element of the PSP's answer (absent: undefined). */
  standin?: boolean;
}

export type VerifyOutcome = { ok: true; verified: VerifiedNotice } | { ok: false; result: HandlerResult };

/**
 * After the caller checks: routing, paid (PPT_PAGAMENTO_DUPLICATO) / live token
 * (PPT_PAGAMENTO_IN_CORSO) without calling the station, paVerifyPaymentNotice, the
 * station failure classes and the PAA→PPT relay. KOs are answered on `req`'s response
 * element; `meta` gets idStation (and paymentToken when a token is live).
 */
export async function verifyNotice(
  ctx: NodoContext,
  req: SoapRequestContext,
  pre: Extract<Precheck, { ok: true }>,
  fiscalCode: string,
  noticeNumber: string,
  meta: Meta,
): Promise<VerifyOutcome> {
  const ko = (result: HandlerResult): VerifyOutcome => ({ ok: false, result });
  const routed = routeNotice(ctx.registry(), fiscalCode, noticeNumber);
  if (!routed.ok) return ko(nodoKo(req, routed.code, routed.why, meta));
  const route = routed.route;
  meta['idStation'] = route.station.stationCode;
  if (ctx.sessions.paid(fiscalCode, noticeNumber))
    return ko(nodoKo(req, 'PPT_PAGAMENTO_DUPLICATO', `notice ${noticeNumber} of EC ${fiscalCode} is already paid on pagoPA; the station was not called`, meta));
  const live = ctx.sessions.live(fiscalCode, noticeNumber);
  if (live) return ko(nodoKo(req, 'PPT_PAGAMENTO_IN_CORSO', inProgressWhy(ctx, live, noticeNumber), { ...meta, paymentToken: live.paymentToken }));
  const activating = ctx.sessions.activation(fiscalCode, noticeNumber);
  if (activating)
    return ko(
      nodoKo(
        req,
        'PPT_PAGAMENTO_IN_CORSO',
        `notice ${noticeNumber} is being activated (PSP ${activating.idPSP}, since ${activating.since}); the station was not called`,
        meta,
      ),
    );

  const via = stationVia(ctx, route, meta);
  const r = await callStation({
    journal: ctx.journal,
    now: () => ctx.clock.now(),
    station: via.station,
    url: via.url,
    headers: via.headers,
    operation: 'paVerifyPaymentNotice',
    fields: { ...paHeader(route), qrCode: { fiscalCode, noticeNumber } },
    timeoutMs: ctx.timeoutFor(route.station, 'paVerifyPaymentNotice'),
    meta,
    check: (v) => checkVerifyResponse(v, { registry: ctx.registry(), fiscalCode, noticeNumber, options: ctx.options.semantic }),
  });
  ctx.standIn?.observe(route.station.stationCode, req.operation.name, via, r);
  if (r.kind === 'failed') return ko(nodoKo(req, r.code, r.why, meta));
  if (r.kind === 'ko') return ko(koResult(req, relayPaaFault(r.fault, fiscalCode, pre.caller.channel.newFaultCode), r.notes, meta));
  const options = asArray(pick(r.value, 'paymentList.paymentOptionDescription') as XmlObject | XmlObject[] | undefined);
  const standin = ctx.standIn ? ctx.standIn.pspFlag(via, pre.caller.channel) : false;
  return {
    ok: true,
    verified: {
      value: r.value,
      options,
      notes: via.standIn ? [`station ${route.station.stationCode} is in stand-in: answered from ACA by ${via.station.stationCode}`, ...r.notes] : r.notes,
      standin,
    },
  };
}

/** A station option as a PSP option (detailDescription becomes paymentNote), fields in schema order. */
export function pspOption(o: XmlObject): XmlObject {
  const note = s(o['detailDescription']);
  return { amount: o['amount']!, options: o['options']!, ...(o['dueDate'] ? { dueDate: o['dueDate'] } : {}), ...(note ? { paymentNote: note } : {}) };
}

export async function verifyPaymentNotice(ctx: NodoContext, req: SoapRequestContext): Promise<HandlerResult> {
  const fiscalCode = s(pick(req.message.bodyChild.value, 'qrCode.fiscalCode')) ?? '';
  const noticeNumber = s(pick(req.message.bodyChild.value, 'qrCode.noticeNumber')) ?? '';
  const meta: Meta = { fiscalCode, noticeNumber, idPSP: s(req.message.bodyChild.value['idPSP']), idChannel: s(req.message.bodyChild.value['idChannel']) };
  const pre = precheck(ctx, req, meta);
  if (!pre.ok) return pre.result;
  const out = await verifyNotice(ctx, req, pre, fiscalCode, noticeNumber, meta);
  if (!out.ok) return out.result;
  const v = out.verified.value;
  return {
    kind: 'response',
    body: pspResponse('verifyPaymentNoticeRes', {
      outcome: 'OK',
      paymentList: { paymentOptionDescription: out.verified.options.map(pspOption) },
      paymentDescription: s(v['paymentDescription']),
      fiscalCodePA: s(v['fiscalCodePA']),
      companyName: s(v['companyName']),
      officeName: s(v['officeName']),
      standin: out.verified.standin,
    }),
    notes: out.verified.notes,
    meta,
  };
}
