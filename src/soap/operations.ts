/**
 * The operation table: SOAPAction → request and response root elements, per interface.
 * Names are inconsistent upstream (Req/Res vs Request/Response), so routing keys on
 * the exact QName (docs/primitives.md §1).
 */
import { NS } from '../xml/index.ts';

export type Interface = 'paForNode' | 'nodeForPsp' | 'nodeForPa' | 'pspForNode';

export interface OperationDef {
  name: string;
  iface: Interface;
  ns: string;
  request: string;
  response: string;
}

const op = (iface: Interface, ns: string, name: string, request: string, response: string): OperationDef => ({ name, iface, ns, request, response });

export const OPERATIONS: readonly OperationDef[] = [
  op('paForNode', NS.paForNode, 'paVerifyPaymentNotice', 'paVerifyPaymentNoticeReq', 'paVerifyPaymentNoticeRes'),
  op('paForNode', NS.paForNode, 'paGetPayment', 'paGetPaymentReq', 'paGetPaymentRes'),
  op('paForNode', NS.paForNode, 'paGetPaymentV2', 'paGetPaymentV2Request', 'paGetPaymentV2Response'),
  op('paForNode', NS.paForNode, 'paSendRT', 'paSendRTReq', 'paSendRTRes'),
  op('paForNode', NS.paForNode, 'paSendRTV2', 'paSendRTV2Request', 'paSendRTV2Response'),
  op('paForNode', NS.paForNode, 'paDemandPaymentNotice', 'paDemandPaymentNoticeRequest', 'paDemandPaymentNoticeResponse'),
  op('nodeForPsp', NS.nodeForPsp, 'verifyPaymentNotice', 'verifyPaymentNoticeReq', 'verifyPaymentNoticeRes'),
  op('nodeForPsp', NS.nodeForPsp, 'verificaBollettino', 'verificaBollettinoReq', 'verificaBollettinoRes'),
  op('nodeForPsp', NS.nodeForPsp, 'activatePaymentNotice', 'activatePaymentNoticeReq', 'activatePaymentNoticeRes'),
  op('nodeForPsp', NS.nodeForPsp, 'activatePaymentNoticeV2', 'activatePaymentNoticeV2Request', 'activatePaymentNoticeV2Response'),
  op('nodeForPsp', NS.nodeForPsp, 'sendPaymentOutcome', 'sendPaymentOutcomeReq', 'sendPaymentOutcomeRes'),
  op('nodeForPsp', NS.nodeForPsp, 'sendPaymentOutcomeV2', 'sendPaymentOutcomeV2Request', 'sendPaymentOutcomeV2Response'),
  op('nodeForPsp', NS.nodeForPsp, 'demandPaymentNotice', 'demandPaymentNoticeRequest', 'demandPaymentNoticeResponse'),
  op('nodeForPsp', NS.nodeForPsp, 'nodoChiediCatalogoServiziV2', 'nodoChiediCatalogoServiziV2Request', 'nodoChiediCatalogoServiziV2Response'),
  // nodeForPsp.wsdl also binds three operations of nodoPerPsp.xsd (the "ppt" namespace).
  op('nodeForPsp', NS.ppt, 'nodoInviaFlussoRendicontazione', 'nodoInviaFlussoRendicontazione', 'nodoInviaFlussoRendicontazioneRisposta'),
  op('nodeForPsp', NS.ppt, 'nodoChiediTemplateInformativaPSP', 'nodoChiediTemplateInformativaPSP', 'nodoChiediTemplateInformativaPSPRisposta'),
  op('nodeForPsp', NS.ppt, 'nodoChiediInformativaPA', 'nodoChiediInformativaPA', 'nodoChiediInformativaPARisposta'),
  op('nodeForPa', NS.ppt, 'nodoChiediElencoFlussiRendicontazione', 'nodoChiediElencoFlussiRendicontazione', 'nodoChiediElencoFlussiRendicontazioneRisposta'),
  op('nodeForPa', NS.ppt, 'nodoChiediFlussoRendicontazione', 'nodoChiediFlussoRendicontazione', 'nodoChiediFlussoRendicontazioneRisposta'),
  op('pspForNode', NS.pspForNode, 'pspNotifyPayment', 'pspNotifyPaymentReq', 'pspNotifyPaymentRes'),
  op('pspForNode', NS.pspForNode, 'pspNotifyPaymentV2', 'pspNotifyPaymentV2', 'pspNotifyPaymentV2Res'),
];

export const operationByName = (name: string): OperationDef | undefined => OPERATIONS.find((o) => o.name === name);

export function operationByRequest(ns: string, local: string): OperationDef | undefined {
  return OPERATIONS.find((o) => o.ns === ns && o.request === local);
}

export function operationsOf(iface: Interface): OperationDef[] {
  return OPERATIONS.filter((o) => o.iface === iface);
}

/** Conventional prefixes used when we build messages. */
export const PREFIX: Record<Interface, string> = { paForNode: 'pafn', nodeForPsp: 'nfp', nodeForPa: 'ppt', pspForNode: 'pfn' };
