/**
 * verificaBollettino (docs/primitives.md §6.6): Poste Italiane's verify from a postal slip's
 * Data Matrix. The request names the EC by its postal account (`ccPost`) instead of a
 * fiscal code; the Nodo finds the EC whose `postalAccounts` list it, then serves the
 * notice exactly like verifyPaymentNotice (same routing, checks, station call and PAA→PPT
 * mapping: §3 rule 1, the EC cannot tell which PSP primitive triggered its
 * paVerifyPaymentNotice). The answer adds `noticeNumber` and, per option, `allCCP`.
 * An unknown postal account → PPT_DOMINIO_SCONOSCIUTO (inferred: the closest documented
 * code; pagoPA does not document the one the Nodo uses).
 */
import type { HandlerResult, SoapRequestContext } from '../soap/index.ts';
import type { XmlObject } from '../xml/index.ts';
import type { NodoContext } from './context.ts';
import { findEcByPostalAccount } from './registry.ts';
import { nodoKo, precheck, pspResponse, s, type Meta } from './respond.ts';
import { pspOption, verifyNotice } from './verifyPaymentNotice.ts';

/** A station option as a verificaBollettino option: the verify option plus allCCP (schema order: allCCP last). */
function bollettinoOption(o: XmlObject): XmlObject {
  return { ...pspOption(o), allCCP: o['allCCP']! };
}

export async function verificaBollettino(ctx: NodoContext, req: SoapRequestContext): Promise<HandlerResult> {
  const body = req.message.bodyChild.value;
  const ccPost = s(body['ccPost']) ?? '';
  const noticeNumber = s(body['noticeNumber']) ?? '';
  const meta: Meta = { ccPost, noticeNumber, idPSP: s(body['idPSP']), idChannel: s(body['idChannel']) };
  const pre = precheck(ctx, req, meta);
  if (!pre.ok) return pre.result;
  const ec = findEcByPostalAccount(ctx.registry(), ccPost);
  if (!ec)
    return nodoKo(
      req,
      'PPT_DOMINIO_SCONOSCIUTO',
      `postal account ${ccPost} is not listed in the postalAccounts of any EC in the registry; the station was not called`,
      meta,
    );
  const fiscalCode = ec.fiscalCode;
  meta['fiscalCode'] = fiscalCode;
  const out = await verifyNotice(ctx, req, pre, fiscalCode, noticeNumber, meta);
  if (!out.ok) return out.result;
  const v = out.verified.value;
  return {
    kind: 'response',
    body: pspResponse('verificaBollettinoRes', {
      outcome: 'OK',
      paymentBollettinoList: { paymentOptionDescription: out.verified.options.map(bollettinoOption) },
      paymentDescription: s(v['paymentDescription']),
      fiscalCodePA: s(v['fiscalCodePA']),
      noticeNumber,
      companyName: s(v['companyName']),
      officeName: s(v['officeName']),
    }),
    notes: [...out.verified.notes, `postal account ${ccPost} → EC ${fiscalCode}`],
    meta,
  };
}
