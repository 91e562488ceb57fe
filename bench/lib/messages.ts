/** The SOAP requests the benchmarks send, as text (one notice or token per call). */
const ENV = 'http://schemas.xmlsoap.org/soap/envelope/';
const PAFN = 'http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd';
const NFP = 'http://pagopa-api.pagopa.gov.it/node/nodeForPsp.xsd';

export const EC = '77777777777';
export const STATION = '77777777777_01';
export const PSP = { idPSP: '88888888888', idBrokerPSP: '88888888888', idChannel: '88888888888_01', password: 'PLACEHOLDER' };

const envelope = (ns: string, body: string, pad = '') => `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="${ENV}" xmlns:m="${ns}"><soapenv:Header/><soapenv:Body>${pad}${body}</soapenv:Body></soapenv:Envelope>`;

const pspIds = `<idPSP>${PSP.idPSP}</idPSP><idBrokerPSP>${PSP.idBrokerPSP}</idBrokerPSP><idChannel>${PSP.idChannel}</idChannel><password>${PSP.password}</password>`;

/** `pad` is whitespace put inside the Body (a valid message of any size). */
export const paVerifyReq = (nn: string, station = STATION, ec = EC, pad = '') =>
  envelope(
    PAFN,
    `<m:paVerifyPaymentNoticeReq><idPA>${ec}</idPA><idBrokerPA>${station.split('_')[0]}</idBrokerPA><idStation>${station}</idStation><qrCode><fiscalCode>${ec}</fiscalCode><noticeNumber>${nn}</noticeNumber></qrCode></m:paVerifyPaymentNoticeReq>`,
    pad,
  );

export const paGetPaymentV2Req = (nn: string) =>
  envelope(
    PAFN,
    `<m:paGetPaymentV2Request><idPA>${EC}</idPA><idBrokerPA>${EC}</idBrokerPA><idStation>${STATION}</idStation><qrCode><fiscalCode>${EC}</fiscalCode><noticeNumber>${nn}</noticeNumber></qrCode><amount>10.00</amount><transferType>POSTAL</transferType></m:paGetPaymentV2Request>`,
  );

export const verifyReq = (nn: string, pad = '') =>
  envelope(
    NFP,
    `<m:verifyPaymentNoticeReq>${pspIds}<qrCode><fiscalCode>${EC}</fiscalCode><noticeNumber>${nn}</noticeNumber></qrCode></m:verifyPaymentNoticeReq>`,
    pad,
  );

export const activateV2Req = (nn: string, key: string, amount = '10.00') =>
  envelope(
    NFP,
    `<m:activatePaymentNoticeV2Request>${pspIds}<idempotencyKey>${PSP.idPSP}_${key}</idempotencyKey><qrCode><fiscalCode>${EC}</fiscalCode><noticeNumber>${nn}</noticeNumber></qrCode><amount>${amount}</amount></m:activatePaymentNoticeV2Request>`,
  );

export const outcomeV2Req = (token: string, key: string) =>
  envelope(
    NFP,
    `<m:sendPaymentOutcomeV2Request>${pspIds}<idempotencyKey>${PSP.idPSP}_${key}</idempotencyKey><paymentTokens><paymentToken>${token}</paymentToken></paymentTokens><outcome>OK</outcome><details><paymentMethod>creditCard</paymentMethod><paymentChannel>app</paymentChannel><fee>1.00</fee><payer><uniqueIdentifier><entityUniqueIdentifierType>F</entityUniqueIdentifierType><entityUniqueIdentifierValue>RSSMRA80A01H501U</entityUniqueIdentifierValue></uniqueIdentifier><fullName>Mario Rossi</fullName></payer><applicationDate>2026-10-01</applicationDate><transferDate>2026-10-02</transferDate></details></m:sendPaymentOutcomeV2Request>`,
  );

export const OK = /<outcome>OK<\/outcome>/;
