/** The door of src/soap/: what other parts import from it. */
export { type CallResult, callSoap } from './client.ts';
export { createSoapEndpoint, createSoapPort, type HandlerResult, type SoapPort, type SoapRequestContext } from './endpoint.ts';
export { type SoapRoute, soapFirst, soapFirstServer } from './dispatch.ts';
export { type SoapMessage, type SoapProblem, type SoapProblemReason, unwrap, wrap } from './envelope.ts';
export {
  bindCorrelation,
  CORRELATION_HEADER,
  correlationFromHeader,
  correlationHeaders,
  currentCorrelation,
  type Exchange,
  type ExchangeFilter,
  type ExchangeFinding,
  type NewExchange,
  type FailureKind,
  findingNote,
  Journal,
  withCorrelation,
} from './exchange.ts';
export { type FaultBean, faultBeanObject, readFaultBean, soapFaultEnvelope } from './fault.ts';
export { describeHttpError, finishApp, lastErrorHandler, statusOf } from './lastErrorHandler.ts';
export { type Interface, operationByName, type OperationDef, OPERATIONS, operationsOf, PREFIX } from './operations.ts';
export { type PaaFault, paaKoBody, paForNodeResponse } from './paForNodeBody.ts';
export { externalBase, schemasRouter, wsdlHandler } from './wsdl.ts';
