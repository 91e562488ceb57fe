/**
 * demandPaymentNotice (docs/primitives.md §5.8, §6.6, §8.5): a spontaneous payment. The PSP names a
 * catalogue provider (idSoggettoServizio) and sends the service's data (datiSpecificiServizio);
 * the Nodo finds the service (PPT_SERVIZIO_SCONOSCIUTO), checks it is active
 * (PPT_SERVIZIO_NONATTIVO) and that the data is of the service's version (PPT_VERSIONE_SERVIZIO),
 * routes to the EC's spontaneous-payment station, calls paDemandPaymentNotice and answers with
 * the new notice (qrCode + payment option), which the PSP then pays like any other
 * (activatePaymentNotice[V2], sendPaymentOutcome[V2], receipts).
 */
import type { HandlerResult, SoapRequestContext } from '../soap/index.ts';
import { decodeBase64Document } from '../xml/index.ts';
import { parseXml } from '../xml/index.ts';
import { elementQName } from '../xml/index.ts';
import { asArray, pick, type XmlObject } from '../xml/index.ts';
import type { NodoContext } from './context.ts';
import { relayPaaFault } from './faults.ts';
import { findServiceProvider, type CatalogueService, type ServiceProvider } from './registry.ts';
import { koResult, nodoKo, precheck, pspResponse, s, type Meta } from './respond.ts';
import { routeNotice, routeSpontaneous } from './routing.ts';
import { checkDemandResponse } from './semantic.ts';
import { callStation } from './stationCall.ts';
import { paHeader, pspOption } from './verifyPaymentNotice.ts';

/** Why a provider is not active today (undefined when it is). */
export function inactiveReason(service: CatalogueService, p: ServiceProvider, today: string): string | undefined {
  if (!p.enabled) return `provider ${p.idSoggettoServizio} of service ${service.idServizio} is disabled in the catalogue`;
  if (today < p.dataInizioValidita) return `service ${service.idServizio} of EC ${p.idDominio} is valid from ${p.dataInizioValidita} (today is ${today})`;
  if (p.dataFineValidita !== undefined && today > p.dataFineValidita)
    return `service ${service.idServizio} of EC ${p.idDominio} was valid until ${p.dataFineValidita} (today is ${today})`;
  return undefined;
}

/** The data's version is its root namespace (inferred); the issue when it is not the service's. */
function versionProblem(service: CatalogueService, b64: string): { code: 'PPT_SINTASSI_XSD' | 'PPT_VERSIONE_SERVIZIO'; why: string } | undefined {
  if (service.namespace === undefined) return undefined;
  const text = decodeBase64Document(b64);
  if (text === undefined) return { code: 'PPT_SINTASSI_XSD', why: 'datiSpecificiServizio is not base64' };
  const parsed = parseXml(text, { maxBytes: 1024 * 1024 });
  if (!parsed.ok) {
    const i = parsed.issues[0]!;
    return {
      code: 'PPT_SINTASSI_XSD',
      why: `datiSpecificiServizio is not an XML document (line ${i.line}:${i.col}: ${i.message}); service ${service.idServizio} expects one in namespace ${service.namespace}`,
    };
  }
  try {
    const { ns, local } = elementQName(parsed.value.root);
    if (ns !== service.namespace)
      return {
        code: 'PPT_VERSIONE_SERVIZIO',
        why: `datiSpecificiServizio is {${ns}}${local}, but service ${service.idServizio} (${service.xsdRiferimento}) expects its data in namespace ${service.namespace}`,
      };
    return undefined;
  } finally {
    parsed.value.doc.dispose();
  }
}

export async function demandPaymentNotice(ctx: NodoContext, req: SoapRequestContext): Promise<HandlerResult> {
  const body = req.message.bodyChild.value;
  const idSoggettoServizio = s(body['idSoggettoServizio']) ?? '';
  const meta: Meta = { idPSP: s(body['idPSP']), idChannel: s(body['idChannel']), idSoggettoServizio };
  const pre = precheck(ctx, req, meta);
  if (!pre.ok) return pre.result;

  const reg = ctx.registry();
  const found = findServiceProvider(reg, idSoggettoServizio);
  if (!found)
    return nodoKo(
      req,
      'PPT_SERVIZIO_SCONOSCIUTO',
      `idSoggettoServizio ${idSoggettoServizio} is not in the service catalogue (nodoChiediCatalogoServiziV2 lists it)`,
      meta,
    );
  const { service, provider } = found;
  meta['idServizio'] = service.idServizio;
  meta['fiscalCode'] = provider.idDominio;
  const inactive = inactiveReason(service, provider, ctx.clock.now().toISOString().slice(0, 10));
  if (inactive) return nodoKo(req, 'PPT_SERVIZIO_NONATTIVO', inactive, meta);
  const data = s(body['datiSpecificiServizio']) ?? '';
  const version = versionProblem(service, data);
  if (version) return nodoKo(req, version.code, version.why, meta);

  const routed = routeSpontaneous(reg, provider.idDominio);
  if (!routed.ok) return nodoKo(req, routed.code, routed.why, meta);
  const route = routed.route;
  meta['idStation'] = route.station.stationCode;

  const r = await callStation({
    journal: ctx.journal,
    now: () => ctx.clock.now(),
    station: route.station,
    url: ctx.stationUrl(route.station),
    operation: 'paDemandPaymentNotice',
    fields: { ...paHeader(route), idServizio: service.idServizio, idSoggettoServizio, datiSpecificiServizioRequest: data },
    timeoutMs: ctx.timeoutFor(route.station, 'paDemandPaymentNotice'),
    meta,
    check: (v) =>
      checkDemandResponse(v, {
        registry: ctx.registry(),
        fiscalCode: provider.idDominio,
        routes: (fc, nn) => {
          const x = routeNotice(ctx.registry(), fc, nn);
          return x.ok ? undefined : `${x.code} (${x.why})`;
        },
      }),
  });
  if (r.kind === 'failed') return nodoKo(req, r.code, r.why, meta);
  if (r.kind === 'ko') return koResult(req, relayPaaFault(r.fault, provider.idDominio, pre.caller.channel.newFaultCode), r.notes, meta);
  const v = r.value;
  const qrCode = { fiscalCode: s(pick(v, 'qrCode.fiscalCode')), noticeNumber: s(pick(v, 'qrCode.noticeNumber')) };
  const options = asArray(pick(v, 'paymentList.paymentOptionDescription') as XmlObject | XmlObject[] | undefined);
  return {
    kind: 'response',
    body: pspResponse('demandPaymentNoticeResponse', {
      outcome: 'OK',
      qrCode,
      paymentList: { paymentOptionDescription: options.map(pspOption) },
      paymentDescription: s(v['paymentDescription']),
      fiscalCodePA: s(v['fiscalCodePA']),
      companyName: s(v['companyName']),
      officeName: s(v['officeName']),
    }),
    notes: [`new notice ${qrCode.noticeNumber} of EC ${qrCode.fiscalCode} for service ${service.idServizio}`, ...r.notes],
    meta: { ...meta, noticeNumber: qrCode.noticeNumber },
  };
}
