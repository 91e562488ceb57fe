/**
 * verifyPaymentNotice (primitives.md §3 phase 1, §5.1, §6.1): checks, routing, the
 * Nodo's own "paid / in progress" answers without calling the station, then
 * paVerifyPaymentNotice on the station and the mapping of its answer.
 */
import type { HandlerResult, SoapRequestContext } from '../soap/endpoint.ts';
import { asArray, pick, type XmlObject } from '../xml/read.ts';
import type { NodoContext } from './context.ts';
import { relayPaaFault } from './faults.ts';
import { koResult, nodoKo, precheck, pspResponse, s, type Meta } from './respond.ts';
import { routeNotice, type Route } from './routing.ts';
import { checkVerifyResponse } from './semantic.ts';
import { callStation } from './stationCall.ts';

/** The routing triple every paForNode request starts with. */
export function paHeader(route: Route): { idPA: string; idBrokerPA: string; idStation: string } {
  return { idPA: route.ec.fiscalCode, idBrokerPA: route.broker.brokerCode, idStation: route.station.stationCode };
}

function mapOption(o: XmlObject): XmlObject {
  const note = s(o['detailDescription']);
  return { amount: o['amount']!, options: o['options']!, ...(o['dueDate'] ? { dueDate: o['dueDate'] } : {}), ...(note ? { paymentNote: note } : {}) };
}

export async function verifyPaymentNotice(ctx: NodoContext, req: SoapRequestContext): Promise<HandlerResult> {
  const fiscalCode = s(pick(req.message.bodyChild.value, 'qrCode.fiscalCode')) ?? '';
  const noticeNumber = s(pick(req.message.bodyChild.value, 'qrCode.noticeNumber')) ?? '';
  const meta: Meta = { fiscalCode, noticeNumber, idPSP: s(req.message.bodyChild.value['idPSP']), idChannel: s(req.message.bodyChild.value['idChannel']) };
  const pre = precheck(ctx, req, meta);
  if (!pre.ok) return pre.result;
  const routed = routeNotice(ctx.registry(), fiscalCode, noticeNumber);
  if (!routed.ok) return nodoKo(req, routed.code, routed.why, meta);
  const route = routed.route;
  meta['idStation'] = route.station.stationCode;
  if (ctx.sessions.paid(fiscalCode, noticeNumber)) return nodoKo(req, 'PPT_PAGAMENTO_DUPLICATO', `notice ${noticeNumber} of EC ${fiscalCode} is already paid on pagoPA; the station was not called`, meta);
  const live = ctx.sessions.live(fiscalCode, noticeNumber);
  if (live) return nodoKo(req, 'PPT_PAGAMENTO_IN_CORSO', `notice ${noticeNumber} has a live paymentToken ${live.paymentToken} until ${live.expiresAt}; the station was not called`, { ...meta, paymentToken: live.paymentToken });

  const r = await callStation({
    journal: ctx.journal,
    now: () => ctx.clock.now(),
    station: route.station,
    url: ctx.stationUrl(route.station),
    operation: 'paVerifyPaymentNotice',
    fields: { ...paHeader(route), qrCode: { fiscalCode, noticeNumber } },
    timeoutMs: ctx.timeoutFor(route.station, 'paVerifyPaymentNotice'),
    meta,
    check: (v) => checkVerifyResponse(v, { registry: ctx.registry(), fiscalCode, noticeNumber, options: ctx.options.semantic }),
  });
  if (r.kind === 'failed') return nodoKo(req, r.code, r.why, meta);
  const channel = pre.caller.channel;
  if (r.kind === 'ko') return koResult(req, relayPaaFault(r.fault, fiscalCode, channel.newFaultCode), r.notes, meta);
  const v = r.value;
  const options = asArray(pick(v, 'paymentList.paymentOptionDescription') as XmlObject | XmlObject[] | undefined).map(mapOption);
  return {
    kind: 'response',
    body: pspResponse('verifyPaymentNoticeRes', {
      outcome: 'OK',
      paymentList: { paymentOptionDescription: options },
      paymentDescription: s(v['paymentDescription']),
      fiscalCodePA: s(v['fiscalCodePA']),
      companyName: s(v['companyName']),
      officeName: s(v['officeName']),
      standin: false,
    }),
    notes: r.notes,
    meta,
  };
}
