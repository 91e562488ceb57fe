/**
 * Every verdict of the station suite can fail, with its rule in the message: the reference
 * station behind a proxy that breaks one thing (the way real stations get it wrong) makes the
 * checks named for that defect fail, and only a correct station passes them. (The catalogue of
 * broken reference stations, `station --defect`, proves the same on the station itself.)
 */
import { expect } from 'chai';
import type { IncomingHttpHeaders } from 'node:http';
import { operationByRequest } from '../../src/soap/operations.ts';
import { wrap } from '../../src/soap/envelope.ts';
import { NS } from '../../src/xml/schemas.ts';
import { startSendGateway, type SendGateway } from '../../src/scenario/sendGateway.ts';
import { listenRaw, type Served } from '../support/loopback.ts';
import { failures, profileOf, REFERENCE_PROFILE, runSuite, serveReferenceStation, type ServedReference } from '../support/stationSuite.ts';

interface Answer {
  status: number;
  type: string;
  body: string;
}

interface Defect {
  /** Rewrites the request before the station sees it. */
  request?(body: string, headers: IncomingHttpHeaders): string;
  /** Answers instead of the station. */
  answer?(body: string, headers: IncomingHttpHeaders, seen: string[]): Answer | undefined;
  /** Rewrites the station's answer. */
  response?(a: Answer, request: string): Answer;
  delayMs?(request: string): number;
}

const element = (body: string) =>
  /<(?:[\w-]+:)?(\w+)\s+xmlns:[\w-]+="http:\/\/pagopa-api\.pagopa\.gov\.it\/pa\/paForNode\.xsd"/.exec(body)?.[1] ??
  /Body>\s*<(?:[\w-]+:)?(\w+)/.exec(body)?.[1] ??
  '';
const soap = (status: number, child: string): Answer => ({ status, type: 'text/xml; charset=utf-8', body: wrap(child) });
const responseOf = (req: string, content: string) => {
  const op = operationByRequest(NS.paForNode, element(req));
  return `<pafn:${op?.response ?? 'paVerifyPaymentNoticeRes'} xmlns:pafn="${NS.paForNode}">${content}</pafn:${op?.response ?? 'paVerifyPaymentNoticeRes'}>`;
};
const isReceipt = (req: string) => /paSendRTV?2?(Req|Request)\b/.test(element(req));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Each defect, the scenarios that show it, and the rules that must fail. */
/**
 * `roots`: when set, the only rules left as root causes once knock-ons are folded (report/fold.ts): a
 * rule judged on an answer that is no valid response (HTTP error, wrong element, no answer) failed
 * because of it and is folded under the transport or schema failure, not listed as a cause of its own.
 */
/** `timeouts`: the Nodo's timeouts towards the station (profile station.timeouts, ms) for that case. */
const DEFECTS: Record<
  string,
  { defect: Defect; scenarios: string[]; rules: string[]; roots?: string[]; actual?: RegExp; timeouts?: { paVerifyPaymentNotice?: number; paSendRT?: number } }
> = {
  // `actual`: what the first rule's failed check says the station sent.
  'answers text/html': {
    defect: { response: (a) => ({ ...a, type: 'text/html; charset=utf-8' }) },
    scenarios: ['station-standin-probe'],
    rules: ['HTTP-SOAP-ANSWER'],
    roots: ['HTTP-SOAP-ANSWER'],
    actual: /^HTTP 200, text\/html; charset=utf-8: KO PAA_PAGAMENTO_SCONOSCIUTO$/,
  },
  'HTTP 500 on a KO': {
    defect: { response: (a) => (/<outcome>KO/.test(a.body) ? { ...a, status: 500 } : a) },
    scenarios: ['station-unknown-notice'],
    rules: ['HTTP-SOAP-ANSWER', 'NOTICE-UNKNOWN'],
    roots: ['HTTP-SOAP-ANSWER'],
    actual: /^HTTP 500, text\/xml; charset=utf-8: KO PAA_PAGAMENTO_SCONOSCIUTO$/,
  },
  'an HTML error page (HTTP 500)': {
    defect: { answer: () => ({ status: 500, type: 'text/html', body: '<!DOCTYPE html><html><body><h1>500 Internal Server Error</h1></body></html>' }) },
    scenarios: ['station-verify-payable'],
    rules: ['HTTP-SOAP-ANSWER', 'NOTICE-PAYABLE'],
    roots: ['HTTP-SOAP-ANSWER'],
    actual: /^HTTP 500, text\/html: no paForNode response$/,
  },
  'ignores idPA, idBrokerPA and idStation': {
    defect: {
      request: (b) =>
        b
          .replace(/<idPA>[^<]*</, '<idPA>77777777777<')
          .replace(/<idBrokerPA>[^<]*</, '<idBrokerPA>77777777777<')
          .replace(/<idStation>[^<]*</, '<idStation>77777777777_01<'),
    },
    scenarios: ['station-wrong-idpa', 'station-wrong-idbrokerpa', 'station-wrong-idstation'],
    rules: ['HEADER-IDPA', 'HEADER-IDBROKERPA', 'HEADER-IDSTATION'],
  },
  'stateless: answers OK to any receipt and forgets it': {
    defect: { answer: (b) => (isReceipt(b) ? soap(200, responseOf(b, '<outcome>OK</outcome>')) : undefined) },
    scenarios: ['station-payment-full', 'station-empty-receipt'],
    rules: ['PAID-AFTER-RECEIPT', 'RECEIPT-DUPLICATE', 'SYNTAX-INVALID'],
  },
  'rejects valid receipts': {
    defect: {
      answer: (b) =>
        isReceipt(b)
          ? soap(200, responseOf(b, `<outcome>KO</outcome><fault><faultCode>PAA_SEMANTICA</faultCode><faultString>x</faultString><id>77777777777</id></fault>`))
          : undefined,
    },
    scenarios: ['station-payment-full', 'station-receipt-all-optional', 'station-receipt-broadcast'],
    rules: ['RECEIPT-ACCEPTED', 'RECEIPT-ALL-OPTIONAL', 'RECEIPT-BROADCAST'],
  },
  'an unregistered IBAN': {
    defect: { response: (a) => ({ ...a, body: a.body.replace(/IT60X0542811101000000123456/g, 'IT60X0542811101000000999999') }) },
    scenarios: ['station-getpayment-payable', 'station-activate-via-nodo'],
    rules: ['IBAN-REGISTERED', 'ACTIVATE-VIA-NODO'],
  },
  'transfers not adding up': {
    defect: { response: (a) => ({ ...a, body: a.body.replace('<transferAmount>100.00</transferAmount>', '<transferAmount>90.00</transferAmount>') }) },
    scenarios: ['station-getpayment-payable'],
    rules: ['AMOUNT-SUM'],
  },
  'another IUV': {
    defect: { response: (a) => ({ ...a, body: a.body.replace(/<creditorReferenceId>\d+</, '<creditorReferenceId>01000000000999999<') }) },
    scenarios: ['station-getpayment-payable'],
    rules: ['CREDITOR-REFERENCE'],
  },
  'a V1 element to a V2 request': {
    defect: { response: (a) => ({ ...a, body: a.body.replace(/paGetPaymentV2Response/g, 'paGetPaymentRes') }) },
    scenarios: ['station-getpayment-payable'],
    rules: ['VERSION-ELEMENT', 'XSD-ANSWER'],
    roots: ['XSD-ANSWER'],
  },
  'verify without companyName': {
    defect: {
      response: (a, req) => (element(req) === 'paVerifyPaymentNoticeReq' ? { ...a, body: a.body.replace(/<companyName>[^<]*<\/companyName>/, '') } : a),
    },
    scenarios: ['station-verify-payable'],
    rules: ['VERIFY-REQUIRED-TAGS'],
  },
  'locks the position on paGetPayment': {
    defect: {
      answer: (b, _h, seen) =>
        element(b) === 'paGetPaymentV2Request' && seen.filter((x) => element(x) === 'paGetPaymentV2Request').length > 1
          ? soap(
              200,
              responseOf(
                b,
                '<outcome>KO</outcome><fault><faultCode>PAA_PAGAMENTO_IN_CORSO</faultCode><faultString>x</faultString><id>77777777777</id></fault>',
              ),
            )
          : undefined,
    },
    scenarios: ['station-getpayment-twice'],
    rules: ['GETPAYMENT-REPEATABLE'],
  },
  'answers OK to an unknown Body element': {
    defect: {
      answer: (b) =>
        element(b) === 'paUnknownOperationRequest'
          ? soap(200, `<pafn:paVerifyPaymentNoticeRes xmlns:pafn="${NS.paForNode}"><outcome>OK</outcome></pafn:paVerifyPaymentNoticeRes>`)
          : undefined,
    },
    scenarios: ['station-unknown-body-element'],
    rules: ['UNKNOWN-BODY'],
  },
  'reads prefixes, not namespaces': {
    defect: {
      answer: (b) =>
        /<soapenv:Envelope/.test(b)
          ? undefined
          : soap(500, '<soapenv:Fault><faultcode>soapenv:Client</faultcode><faultstring>no soapenv:Envelope</faultstring></soapenv:Fault>'),
    },
    scenarios: ['station-namespace-prefixes'],
    rules: ['SOAP-PREFIXES'],
  },
  'wants a quoted SOAPAction': {
    defect: {
      answer: (_b, h) =>
        String(h['soapaction']).startsWith('"')
          ? undefined
          : soap(500, '<soapenv:Fault><faultcode>soapenv:Client</faultcode><faultstring>SOAPAction</faultstring></soapenv:Fault>'),
    },
    scenarios: ['station-soapaction-forms'],
    rules: ['SOAP-ACTION-FORMS'],
  },
  'SYNC station without NOTIFICATION_FEE': {
    defect: { response: (a) => ({ ...a, body: a.body.replace('<key>NOTIFICATION_FEE</key>', '<key>NOTIFICATION_COST</key>') }) },
    scenarios: ['station-send-sync-fee'],
    rules: ['SEND-FEE'],
  },
  'rejects stand-in receipts (accepts the others)': {
    defect: {
      answer: (b) =>
        isReceipt(b) && /<standIn>true<\/standIn>/.test(b)
          ? soap(
              200,
              responseOf(
                b,
                `<outcome>KO</outcome><fault><faultCode>PAA_PAGAMENTO_SCONOSCIUTO</faultCode><faultString>x</faultString><id>77777777777</id></fault>`,
              ),
            )
          : undefined,
    },
    scenarios: [
      'station-standin-receipt-unknown-notice',
      'station-standin-receipt-paid-notice',
      'station-standin-receipt-expired-notice',
      'station-standin-receipt-cancelled-notice',
      'station-standin-receipt-other-amount',
    ],
    rules: ['STANDIN-RECEIPT'],
  },
  'answers the stand-in probe with PAA_SYSTEM_ERROR': {
    defect: {
      answer: (b) =>
        b.includes('<noticeNumber>000000000000000000</noticeNumber>')
          ? soap(
              200,
              responseOf(b, `<outcome>KO</outcome><fault><faultCode>PAA_SYSTEM_ERROR</faultCode><faultString>x</faultString><id>77777777777</id></fault>`),
            )
          : undefined,
    },
    scenarios: ['station-standin-probe-ends-standin'],
    rules: ['STANDIN-PROBE', 'STANDIN-PROBE-ENDS'],
    // Stand-in cannot end on probes answered wrongly: STANDIN-PROBE-ENDS is its knock-on, folded under it.
    roots: ['STANDIN-PROBE'],
  },
  // The probe is answered after 2.5 s against a 1 s timeout: late whatever the machine's load (the delay is
  // a floor). Before, the scenario that advances an hour of probes waited each one out and ended errored
  // (the scenario's 60 s guard) or passed; it now fails ANSWER-TIME at the first probe and stops there.
  'slower than the Nodo timeout': {
    defect: { delayMs: (b) => (b.includes('000000000000000000') ? 2500 : 0) },
    scenarios: ['station-standin-probe', 'station-standin-probe-ends-standin'],
    rules: ['ANSWER-TIME', 'STANDIN-PROBE'],
    roots: ['ANSWER-TIME'],
    timeouts: { paVerifyPaymentNotice: 1000 },
  },
  'slower than the Nodo receipt timeout': {
    defect: { delayMs: (b) => (isReceipt(b) ? 2500 : 0) },
    scenarios: ['station-standin-receipt-unknown-notice'],
    rules: ['ANSWER-TIME', 'STANDIN-RECEIPT'],
    roots: ['ANSWER-TIME'],
    timeouts: { paSendRT: 1000 },
  },
};

describe('the station suite catches a broken station, naming the rule', function () {
  this.timeout(120_000);
  let upstream: ServedReference;
  let gateway: SendGateway;
  let proxy: Served;
  let current: Defect = {};
  const seen: string[] = [];

  before(async () => {
    gateway = await startSendGateway({ port: 0 });
    upstream = await serveReferenceStation([], gateway.url);
    proxy = await listenRaw((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void (async () => {
          let body = Buffer.concat(chunks).toString('utf8');
          seen.push(body);
          const delay = current.delayMs?.(body) ?? 0;
          if (delay) await sleep(delay);
          let a = current.answer?.(body, req.headers, seen);
          if (!a) {
            body = current.request?.(body, req.headers) ?? body;
            const r = await fetch(`${upstream.base}${req.url}`, {
              method: 'POST',
              body,
              headers: { 'content-type': String(req.headers['content-type']), soapaction: String(req.headers['soapaction'] ?? '') },
            });
            a = { status: r.status, type: r.headers.get('content-type') ?? '', body: await r.text() };
            if (current.response) a = current.response(a, body);
          }
          if (res.destroyed) return;
          res.writeHead(a.status, { 'content-type': a.type });
          res.end(a.body);
        })();
      });
    });
  });
  after(async () => {
    await proxy.close();
    await upstream.close();
    await gateway.close();
  });

  it('passes the unbroken station through the same proxy', async () => {
    current = {};
    upstream.stations.reset();
    const { result } = await runSuite(profileOf(REFERENCE_PROFILE), `${proxy.base}/stations/77777777777_01`, undefined, gateway);
    expect(failures(result)).to.deep.equal([]);
    // station-aca-conferred needs aca.url (a harness ACA): test/scenario/stationStandIn.test.ts runs it.
    expect(result.cases.filter((c) => c.state === 'skipped').map((c) => c.id)).to.deep.equal(['station-aca-conferred']);
  });

  for (const [name, d] of Object.entries(DEFECTS)) {
    it(`${name}: ${d.rules.join(', ')} fail`, async () => {
      current = d.defect;
      seen.length = 0;
      upstream.stations.reset();
      let profile = profileOf(REFERENCE_PROFILE);
      if (d.timeouts) profile = { ...profile, station: { ...profile.station, timeouts: { ...profile.station.timeouts, ...d.timeouts } } };
      const { result } = await runSuite(profile, `${proxy.base}/stations/77777777777_01`, d.scenarios, gateway);
      const failed = result.cases.flatMap((c) => c.checks.filter((k) => !k.passed));
      const rules = new Set(failed.map((k) => k.rule));
      for (const r of d.rules) {
        expect(rules.has(r), `${r} should fail; failures:\n${failures(result).join('\n')}`).to.equal(true);
        const k = failed.find((x) => x.rule === r)!;
        if (r !== 'XSD-ANSWER' && r !== 'ACTIVATE-VIA-NODO') expect(k.name.startsWith(`${r}: `), k.name).to.equal(true);
        expect(k.source).to.be.a('string').and.not.equal('');
      }
      if (d.actual) expect(failed.find((x) => x.rule === d.rules[0])!.mismatch!.actual).to.match(d.actual);
      if (d.roots) {
        const roots = new Set(failed.filter((k) => k.causedBy === undefined).map((k) => k.rule));
        expect([...roots].sort(), `root causes (the rest folded under them):\n${failures(result).join('\n')}`).to.deep.equal([...d.roots].sort());
      }
      expect(result.counts.passed, 'no scenario that shows the defect passes').to.equal(result.cases.filter((c) => c.state === 'passed').length);
      expect(
        result.cases.every((c) => c.state === 'failed'),
        `every scenario chosen to show it fails:\n${result.cases.map((c) => `${c.id} ${c.state}`).join('\n')}`,
      ).to.equal(true);
    });
  }
});
