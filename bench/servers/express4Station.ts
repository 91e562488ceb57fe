/**
 * The common kind of mock EC station, written for this benchmark: Express 4, the request
 * parsed by xml2js, a few fields read, a paVerifyPaymentNotice or paGetPaymentV2 answer
 * filled into a string template. Nothing validated in or out. Prints `READY <url>`.
 */
import express from 'express4';
import type { AddressInfo } from 'node:net';
import { parseStringPromise } from 'xml2js';

const pick = (o: unknown, ...path: string[]): string => {
  let cur: unknown = o;
  for (const k of path) {
    if (cur && typeof cur === 'object') {
      const rec = cur as Record<string, unknown>;
      const key = Object.keys(rec).find((n) => n === k || n.endsWith(`:${k}`));
      cur = key === undefined ? undefined : rec[key];
      if (Array.isArray(cur)) cur = cur[0];
    } else return '';
  }
  return typeof cur === 'string' ? cur : '';
};

const verifyRes = (ec: string) => `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:pafn="http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd"><soapenv:Body><pafn:paVerifyPaymentNoticeRes><outcome>OK</outcome><paymentList><paymentOptionDescription><amount>10.00</amount><options>EQ</options><dueDate>2099-12-31</dueDate><detailDescription>Bench notice</detailDescription><allCCP>false</allCCP></paymentOptionDescription></paymentList><paymentDescription>Bench notice</paymentDescription><fiscalCodePA>${ec}</fiscalCodePA><companyName>Comune di Esempio</companyName></pafn:paVerifyPaymentNoticeRes></soapenv:Body></soapenv:Envelope>`;

const getPaymentRes = (ec: string, nn: string) => `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:pafn="http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd"><soapenv:Body><pafn:paGetPaymentV2Response><outcome>OK</outcome><data><creditorReferenceId>${nn.slice(1)}</creditorReferenceId><paymentAmount>10.00</paymentAmount><dueDate>2099-12-31</dueDate><description>Bench notice</description><companyName>Comune di Esempio</companyName><debtor><uniqueIdentifier><entityUniqueIdentifierType>F</entityUniqueIdentifierType><entityUniqueIdentifierValue>RSSMRA80A01H501U</entityUniqueIdentifierValue></uniqueIdentifier><fullName>Mario Rossi</fullName></debtor><transferList><transfer><idTransfer>1</idTransfer><transferAmount>10.00</transferAmount><fiscalCodePA>${ec}</fiscalCodePA><IBAN>IT60X0542811101000000123456</IBAN><remittanceInformation>Bench</remittanceInformation><transferCategory>0101101IM</transferCategory></transfer></transferList></data></pafn:paGetPaymentV2Response></soapenv:Body></soapenv:Envelope>`;

const app = express();
app.disable('x-powered-by');
app.use(express.text({ type: () => true, limit: '10mb' }));
app.post('/', async (req, res) => {
  try {
    const doc = await parseStringPromise(req.body as string);
    const env = (doc as Record<string, Record<string, unknown[]>>)[Object.keys(doc)[0]!]!;
    const bodyKey = Object.keys(env).find((k) => k.endsWith('Body'))!;
    const inner = env[bodyKey]![0] as Record<string, unknown[]>;
    const op = Object.keys(inner).find((k) => k !== '$')!;
    const msg = inner[op]![0];
    const ec = pick(msg, 'qrCode', 'fiscalCode');
    const nn = pick(msg, 'qrCode', 'noticeNumber');
    res.type('text/xml; charset=utf-8').send(op.endsWith('paGetPaymentV2Request') ? getPaymentRes(ec, nn) : verifyRes(ec));
  } catch {
    res.status(500).type('text/xml').send('<fault/>');
  }
});
const s = app.listen(0, '127.0.0.1', () => console.log(`READY http://127.0.0.1:${(s.address() as AddressInfo).port}/`));
process.on('SIGTERM', () => process.exit(0));
