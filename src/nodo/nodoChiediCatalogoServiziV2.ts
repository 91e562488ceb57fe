/**
 * nodoChiediCatalogoServiziV2 (nodeForPsp.wsdl): the spontaneous-payment service catalogue of the
 * registry as a `listaCatalogoServizi` document (CatalogoServizi_2_0_0.xsd), base64 in
 * xmlCatalogoServizi. Optional filters: identificativoDominio (an EC: unknown →
 * PPT_DOMINIO_SCONOSCIUTO), categoria, commissione. Disabled providers are not listed; validity
 * dates are (the PSP reads them). Nothing left after the filters → OK without xmlCatalogoServizi
 * (the document needs at least one service; inferred). The document is validated against the
 * XSD before it is sent: an invalid one is our bug (PPT_SYSTEM_ERROR).
 */
import type { HandlerResult, SoapRequestContext } from '../soap/index.ts';
import { buildXml, type BuildObject } from '../xml/index.ts';
import { DOC_NS, shippedDocumentSchema, validateDocument } from '../xml/index.ts';
import { formatIssue } from '../xml/index.ts';
import { checkCaller } from './callerCheck.ts';
import type { NodoContext } from './context.ts';
import { nodoFault } from './faults.ts';
import { findEc, type Registry } from './registry.ts';
import { koResult, nodoKo, pspResponse, s, type Meta } from './respond.ts';

export interface CatalogueFilter {
  identificativoDominio?: string;
  categoria?: string;
  commissione?: 'Y' | 'N';
}

/** The `listaCatalogoServizi` element (build object), or undefined when nothing is left. */
export function catalogueDocument(reg: Registry, f: CatalogueFilter): BuildObject | undefined {
  const services = (reg.services ?? [])
    .filter((svc) => f.categoria === undefined || svc.categoria === f.categoria)
    .map((svc) => ({
      svc,
      providers: svc.elencoSoggettiEroganti.filter(
        (p) =>
          p.enabled &&
          (f.identificativoDominio === undefined || p.idDominio === f.identificativoDominio) &&
          (f.commissione === undefined || p.commissione === f.commissione),
      ),
    }))
    .filter((x) => x.providers.length > 0);
  if (!services.length) return undefined;
  return {
    'cs:listaCatalogoServizi': {
      '@_xmlns:cs': DOC_NS.catalogoServizi,
      catalogoServizi: services.map(({ svc, providers }) => ({
        idServizio: svc.idServizio,
        descrizioneServizio: svc.descrizioneServizio,
        elencoSoggettiEroganti: {
          soggettoErogante: providers.map((p) => ({
            idSoggettoServizio: p.idSoggettoServizio,
            idDominio: p.idDominio,
            denominazioneEnteCreditore: p.denominazioneEnteCreditore ?? findEc(reg, p.idDominio)?.businessName.slice(0, 70) ?? p.idDominio,
            dataInizioValidita: p.dataInizioValidita,
            dataFineValidita: p.dataFineValidita,
            commissione: p.commissione,
          })),
        },
        categoria: svc.categoria,
        xsdRiferimento: svc.xsdRiferimento,
      })),
    },
  };
}

export async function nodoChiediCatalogoServiziV2(ctx: NodoContext, req: SoapRequestContext): Promise<HandlerResult> {
  const body = req.message.bodyChild.value;
  const caller = {
    idPSP: s(body['identificativoPSP']) ?? '',
    idBrokerPSP: s(body['identificativoIntermediarioPSP']) ?? '',
    idChannel: s(body['identificativoCanale']) ?? '',
    password: s(body['password']) ?? '',
  };
  const meta: Meta = { idPSP: caller.idPSP, idChannel: caller.idChannel };
  const issues = req.message.issues;
  if (issues.length) {
    const first = issues[0]!;
    const why = `${req.operation.request} is not valid against nodeForPsp.xsd: ${first.path} (line ${first.line}:${first.col}): ${first.message}`;
    return koResult(req, nodoFault('PPT_SINTASSI_EXTRAXSD', why), [why, ...issues.slice(1).map((i) => `XSD ${formatIssue(i)}`)], meta);
  }
  const reg = ctx.registry();
  const checked = checkCaller(reg, caller);
  if (!checked.ok) return nodoKo(req, checked.code, checked.why, meta);
  const filter: CatalogueFilter = {
    identificativoDominio: s(body['identificativoDominio']),
    categoria: s(body['categoria']),
    commissione: s(body['commissione']) as CatalogueFilter['commissione'],
  };
  if (filter.identificativoDominio !== undefined) {
    const ec = findEc(reg, filter.identificativoDominio);
    if (!ec) return nodoKo(req, 'PPT_DOMINIO_SCONOSCIUTO', `identificativoDominio ${filter.identificativoDominio} is not in the registry`, meta);
    if (!ec.enabled) return nodoKo(req, 'PPT_DOMINIO_DISABILITATO', `EC ${filter.identificativoDominio} is disabled in the registry`, meta);
  }
  const doc = catalogueDocument(reg, filter);
  const shown =
    Object.entries(filter)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ') || 'no filter';
  if (!doc)
    return {
      kind: 'response',
      body: pspResponse(req.operation.response, { outcome: 'OK' }),
      notes: [`no catalogue service matches (${shown}): OK without xmlCatalogoServizi`],
      meta,
    };
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n${buildXml(doc)}\n`;
  const invalid = validateDocument(xml, shippedDocumentSchema('CatalogoServizi_2_0_0.xsd'));
  if (invalid.length) {
    const why = `BUG: the catalogue document is not valid against CatalogoServizi_2_0_0.xsd: ${invalid.map(formatIssue).join('; ')}`;
    ctx.onBug(why);
    return nodoKo(req, 'PPT_SYSTEM_ERROR', 'internal error of the harness: invalid service catalogue suppressed', meta);
  }
  const services = (doc['cs:listaCatalogoServizi'] as { catalogoServizi: unknown[] }).catalogoServizi.length;
  return {
    kind: 'response',
    body: pspResponse(req.operation.response, { outcome: 'OK', xmlCatalogoServizi: Buffer.from(xml, 'utf8').toString('base64') }),
    notes: [`catalogue of ${services} service(s) (${shown})`],
    meta,
  };
}
