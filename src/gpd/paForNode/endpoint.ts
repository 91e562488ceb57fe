/**
 * GPD as a station: the paForNode SOAP port the mock Nodo calls for notices whose
 * station endpoint is `gpd` (like pagoPA's gpd-payments service), answered from the store;
 * spontaneous payments (paDemandPaymentNotice) for the services GPD holds.
 * Mounted at POST /gpd/paForNode (+ GET ?wsdl).
 */
import express, { type Router } from 'express';
import type { Journal } from '../../soap/index.ts';
import { createSoapEndpoint, type HandlerResult, type SoapRequestContext } from '../../soap/index.ts';
import { wsdlHandler } from '../../soap/index.ts';
import type { GpdStore } from '../gpdStore.ts';
import type { GpdReceipts } from '../gpdReceipts.ts';
import { pick, type XmlObject } from '../../xml/index.ts';
import { koBody, lookupPayable, type PayableLookup } from './faults.ts';
import { lookupStandIn, SERVICE_TYPE_HEADER, type AssociationFlags } from './standInLookup.ts';
import { paGetPayment } from './paGetPayment.ts';
import { paDemandPaymentNotice } from './paDemandPaymentNotice.ts';
import { paSendRT } from './paSendRT.ts';
import type { DemandService } from '../../station/index.ts';
import { paVerifyPaymentNotice } from './paVerifyPaymentNotice.ts';

export interface GpdPaForNodeDeps {
  store: GpdStore;
  receipts: GpdReceipts;
  /** The spontaneous-payment services GPD holds (paDemandPaymentNotice). */
  services: () => readonly DemandService[];
  /** EC–station association flags (aca, standIn) for calls with `X-Client-Service-Type: ACA`. */
  associations?: AssociationFlags;
}

function handle(deps: GpdPaForNodeDeps, ctx: SoapRequestContext, now: Date): HandlerResult {
  const { store } = deps;
  const req = ctx.message.bodyChild.value;
  const op = ctx.operation;
  // X-Client-Service-Type: ACA (set by APIM's aca-payments API, the stand-in station): ACA checks first (docs/aca-standin.md §3.2).
  const aca = String(ctx.req.headers[SERVICE_TYPE_HEADER] ?? 'GPD').toUpperCase() === 'ACA';
  const lookup: PayableLookup = aca ? (st: GpdStore, r: XmlObject, el: string) => lookupStandIn(st, r, el, deps.associations) : lookupPayable;
  if (ctx.message.issues.length) {
    const org = String(pick(req, 'qrCode.fiscalCode') ?? pick(req, 'receipt.fiscalCode') ?? pick(req, 'idPA') ?? '');
    const why = `request invalid against paForNode.xsd: ${ctx.message.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`;
    return { kind: 'response', body: koBody(op.response, 'PAA_SINTASSI_EXTRAXSD', org, why.slice(0, 1000)), notes: [why] };
  }
  switch (op.name) {
    case 'paVerifyPaymentNotice':
      return paVerifyPaymentNotice(store, req, lookup);
    case 'paGetPayment':
      return paGetPayment(store, req, 'V1', lookup);
    case 'paGetPaymentV2':
      return paGetPayment(store, req, 'V2', lookup);
    case 'paSendRT':
      return paSendRT(store, req, 'V1', deps.receipts);
    case 'paSendRTV2':
      return paSendRT(store, req, 'V2', deps.receipts);
    case 'paDemandPaymentNotice':
      return paDemandPaymentNotice(store, deps.services(), req, now);
    default: {
      const why = `${op.name} is not served by GPD`;
      return { kind: 'response', body: koBody(op.response, 'PAA_SYSTEM_ERROR', String(pick(req, 'idPA') ?? ''), why), notes: [why] };
    }
  }
}

export function gpdPaForNodeRouter(opts: GpdPaForNodeDeps & { journal: Journal; now: () => Date; onBug?: (m: string) => void }): Router {
  const r = express.Router();
  r.get('/', wsdlHandler('paForNode'));
  r.use(
    createSoapEndpoint({
      iface: 'paForNode',
      journal: opts.journal,
      party: 'gpd',
      caller: 'nodo',
      now: opts.now,
      handle: async (ctx) => handle(opts, ctx, opts.now()),
      systemError: (ctx, why) => koBody(ctx.operation.response, 'PAA_SYSTEM_ERROR', 'GPD', why),
      onBug: opts.onBug,
    }),
  );
  return r;
}
