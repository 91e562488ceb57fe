/**
 * What the fuzzer aims at and what it checks. One world (mock Nodo, reference stations on
 * one loopback port, default registry and positions) per operation; every mutated request
 * goes over real HTTP and every answer is judged by the properties of issue 18:
 *
 * - HTTP 200 with the operation's response, schema-valid; or HTTP 500 (413 for size) with a
 *   SOAP 1.1 Fault; nothing else, and never a 5xx without a Fault;
 * - no internal path or stack trace in the answer;
 * - an answer within the budget (2 s in `npm run fuzz`; in `npm test` no budget, so no verdict
 *   depends on machine speed, and only an answer that never comes, a hang, is a finding);
 * - no PPT_SYSTEM_ERROR / PAA_SYSTEM_ERROR, and no harness bug reported, for a request that
 *   is itself schema-valid;
 * - the server still serving: the unmutated request is answered OK afterwards.
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManualClock } from '../../src/clock.ts';
import { loadRegistry } from '../../src/nodo/registry.ts';
import { unwrap } from '../../src/soap/envelope.ts';
import { operationByName } from '../../src/soap/operations.ts';
import { loadPositionsFile } from '../../src/station/index.ts';
import { createWorld, type World } from '../../src/world.ts';
import { SCENARIOS_DIR } from '../../src/paths.ts';
import { XML_FIXTURES } from '../support/fixtures.ts';
import { apply, toTree, type El, type Spec } from './mutator.ts';

/** The operations fuzzed: every nodeForPsp operation of the mock Nodo and every paForNode one of the reference station. */
export const FUZZ_OPERATIONS = [
  'verifyPaymentNotice',
  'verificaBollettino',
  'activatePaymentNotice',
  'activatePaymentNoticeV2',
  'sendPaymentOutcome',
  'sendPaymentOutcomeV2',
  'demandPaymentNotice',
  'nodoChiediCatalogoServiziV2',
  'paVerifyPaymentNotice',
  'paGetPayment',
  'paGetPaymentV2',
  'paSendRT',
  'paSendRTV2',
  'paDemandPaymentNotice',
] as const;
export type FuzzOperation = (typeof FUZZ_OPERATIONS)[number];

const NOTICE = '301000000000100121'; // default positions: EC 77777777777, station _01 (V2), 100.00
const LEAK = /\n\s+at |node_modules|\.ts:\d+|\/home\/|\/work\/|\/tmp\/|\/usr\/|<pre>|[A-Z]:\\/;

export interface Finding {
  operation: string;
  property: 'status' | 'not-soap' | 'wrong-element' | 'invalid-response' | 'leak' | 'slow' | 'system-error' | 'harness-bug' | 'no-answer' | 'not-serving';
  detail: string;
  spec?: Spec;
  request?: string;
}

/**
 * Service data the default catalogue's service 00001 accepts (diritti-segreteria-1.0.xsd): the
 * spontaneous-payment seeds carry it, so an unmutated demand reaches the station and gets a notice.
 */
const SERVICE_DATA = Buffer.from(
  '<richiestaDiritti xmlns="http://servizi.example.it/diritti-segreteria/1.0"><richiedente><codiceFiscale>RSSMRA80A01H501U</codiceFiscale><nominativo>Mario Rossi</nominativo></richiedente><tipoAtto>CERTIFICATO</tipoAtto><causale>Certificato di residenza</causale><importo>16.00</importo></richiestaDiritti>',
).toString('base64');

/** nodoChiediCatalogoServiziV2 has no fixture folder: its request, filtered to 77777777777's certificates. */
const CATALOGUE_REQUEST = `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:nfp="http://pagopa-api.pagopa.gov.it/node/nodeForPsp.xsd">
  <soapenv:Header/>
  <soapenv:Body>
    <nfp:nodoChiediCatalogoServiziV2Request>
      <identificativoPSP>88888888888</identificativoPSP>
      <identificativoIntermediarioPSP>88888888888</identificativoIntermediarioPSP>
      <identificativoCanale>88888888888_01</identificativoCanale>
      <password>PLACEHOLDER</password>
      <identificativoDominio>77777777777</identificativoDominio>
      <categoria>CERTIFICATI</categoria>
      <commissione>N</commissione>
    </nfp:nodoChiediCatalogoServiziV2Request>
  </soapenv:Body>
</soapenv:Envelope>
`;

/** The request of an operation (its fixture), aimed at a notice or service the default registry and positions hold. */
function seedXml(op: string): string {
  if (op === 'nodoChiediCatalogoServiziV2') return CATALOGUE_REQUEST;
  return readFileSync(join(XML_FIXTURES, op, 'request.xml'), 'utf8')
    .replaceAll('301000000000001255', NOTICE)
    .replaceAll('311111111112222222', NOTICE)
    .replace('<ccPost>012345678912</ccPost>', '<ccPost>000012345678</ccPost>') // the default registry's postal account of 77777777777
    .replace('<idServizio>00042</idServizio>', '<idServizio>00001</idServizio>')
    .replace(/(<datiSpecificiServizio(?:Request)?>)[^<]*/, `$1${SERVICE_DATA}`);
}

interface Answer {
  status: number;
  text: string;
  ms: number;
}

/** How long a request may go unanswered before it is a hang (`no-answer`), when no budget is set. */
const HANG_MS = 60_000;

function post(url: string, body: Buffer, headers: Record<string, string>, budgetMs: number | null): Promise<Answer | { error: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request(url, { method: 'POST', headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
      res.on('error', (e) => resolve({ error: e.message, ms: performance.now() - started }));
    });
    const hang = budgetMs === null ? HANG_MS : budgetMs * 5;
    req.setTimeout(hang, () => req.destroy(new Error(`no answer within ${hang} ms`)));
    req.on('error', (e) => resolve({ error: e.message, ms: performance.now() - started }));
    req.end(body);
  });
}

/** What a case reached: how deep the mutated request went. */
export interface Reach {
  /** The request was itself schema-valid (envelope, operation, XSD). */
  schemaValid: boolean;
  /** `OK`, `KO <faultCode>`, `Fault <faultcode>` or `HTTP <status>`. */
  answer: string;
}

export interface FuzzTarget {
  operation: FuzzOperation;
  /** Sends one mutated request and returns what broke (empty: every property held). */
  run(spec: Spec): Promise<Finding[]>;
  /** As `run`, with how deep the case went. */
  probe(spec: Spec): Promise<{ findings: Finding[]; reach: Reach }>;
  /** The unmutated request is still answered OK. */
  serving(): Promise<Finding[]>;
  close(): Promise<void>;
}

/** `budgetMs`: the answer time past which a case is a `slow` finding; null: none (tests). */
export async function startTarget(operation: FuzzOperation, budgetMs: number | null): Promise<FuzzTarget> {
  const reg = loadRegistry(join(SCENARIOS_DIR, 'fixtures', 'registry.default.yaml'));
  if (!reg.ok) throw new Error('default registry invalid');
  const positions = loadPositionsFile(join(SCENARIOS_DIR, 'fixtures', 'positions.default.yaml'));
  if (!positions.ok) throw new Error('default positions invalid');
  const bugs: string[] = [];
  const world: World = createWorld({
    registry: reg.registry,
    positions: positions.config,
    clock: new ManualClock(),
    seed: `fuzz-${operation}`,
    onBug: (m) => bugs.push(m),
  });
  await world.start();
  const op = operationByName(operation)!;
  const url = op.iface === 'nodeForPsp' ? world.nodoUrl : `${world.baseUrl}/stations/77777777777_01`;
  const template = seedXml(operation);
  const needsToken = operation.startsWith('sendPaymentOutcome');

  /** Fresh state for each case (independent cases replay and shrink); a live token for outcomes. */
  async function seed(): Promise<El> {
    await world.idle();
    world.nodo.reset();
    world.stations.reset();
    let xml = template;
    if (needsToken) {
      const activate = seedXml('activatePaymentNoticeV2').replace(/<idempotencyKey>[^<]*<\/idempotencyKey>/, '');
      const a = await post(
        world.nodoUrl,
        Buffer.from(activate),
        { 'content-type': 'text/xml; charset=utf-8', soapaction: 'activatePaymentNoticeV2' },
        budgetMs,
      );
      const token = 'text' in a ? /<paymentToken>([^<]+)<\/paymentToken>/.exec(a.text)?.[1] : undefined;
      if (!token) throw new Error(`fuzz setup: no token from activatePaymentNoticeV2: ${'text' in a ? a.text : a.error}`);
      xml = xml
        .replace(/<paymentTokens>[\s\S]*<\/paymentTokens>/, `<paymentTokens><paymentToken>${token}</paymentToken></paymentTokens>`)
        .replace(/<paymentToken>c110729d258c4ab1b765fe902aae41d6<\/paymentToken>/, `<paymentToken>${token}</paymentToken>`);
    }
    return toTree(xml);
  }

  function judge(
    spec: Spec | undefined,
    out: { body: Buffer; headers: Record<string, string>; text: string },
    a: Answer | { error: string; ms: number },
  ): Finding[] {
    const f = (property: Finding['property'], detail: string): Finding => ({
      operation,
      property,
      detail,
      ...(spec ? { spec, request: out.text.slice(0, 4000) } : {}),
    });
    if ('error' in a) return [f('no-answer', a.error)];
    const found: Finding[] = [];
    if (budgetMs !== null && a.ms > budgetMs) found.push(f('slow', `answered in ${Math.round(a.ms)} ms (budget ${budgetMs} ms)`));
    // A path or trace of ours, not something the request carried and the answer quotes.
    const leak = LEAK.exec(a.text);
    if (leak && !out.text.includes(leak[0])) found.push(f('leak', `${leak[0]} in ${a.text.slice(0, 500)}`));
    const un = unwrap(a.text);
    if (a.status === 500 || a.status === 413) {
      if (!un.ok || !un.message.fault) found.push(f('not-soap', `HTTP ${a.status} without a SOAP 1.1 Fault: ${a.text.slice(0, 300)}`));
    } else if (a.status === 200) {
      if (!un.ok) found.push(f('not-soap', `HTTP 200 not a SOAP 1.1 message: ${un.problem.message}`));
      else if (un.message.fault) found.push(f('status', 'HTTP 200 with a SOAP Fault'));
      else {
        // The response of the operation, or of the one the SOAPAction names (an envelope KO answers that one).
        const action = /(\w+)"?$/.exec(out.headers['soapaction'] ?? '')?.[1];
        const allowed = [op.response, ...(action ? [operationByName(action)?.response] : [])];
        if (!allowed.includes(un.message.bodyChild.local))
          found.push(f('wrong-element', `HTTP 200 with ${un.message.bodyChild.local}, expected ${allowed.filter(Boolean).join(' or ')}`));
      }
      if (un.ok && un.message.issues.length) found.push(f('invalid-response', un.message.issues.map((i) => `${i.path}: ${i.message}`).join('; ')));
      if (un.ok && !un.message.fault) {
        const fault = un.message.bodyChild.value['fault'] as Record<string, string> | undefined;
        const code = fault?.['faultCode'] ?? '';
        if (/_SYSTEM_ERROR$/.test(code)) {
          // Only a schema-valid request must never get it.
          const req = unwrap(out.body, { contentType: out.headers['content-type'], read: false });
          const valid =
            req.ok && !req.message.fault && req.message.issues.length === 0 && req.message.bodyChild.local === op.request && req.message.bodyChild.ns === op.ns;
          if (valid) found.push(f('system-error', `${code}: ${fault?.['description'] ?? ''}`));
        }
      }
    } else {
      found.push(f('status', `HTTP ${a.status}: ${a.text.slice(0, 200)}`));
    }
    if (bugs.length) found.push(f('harness-bug', bugs.splice(0).join(' | ')));
    return found;
  }

  function reach(out: { body: Buffer; headers: Record<string, string> }, a: Answer | { error: string; ms: number }): Reach {
    const req = unwrap(out.body, { contentType: out.headers['content-type'], read: false });
    const schemaValid =
      req.ok && !req.message.fault && req.message.issues.length === 0 && req.message.bodyChild.local === op.request && req.message.bodyChild.ns === op.ns;
    if ('error' in a) return { schemaValid, answer: 'no answer' };
    const un = unwrap(a.text);
    if (!un.ok) return { schemaValid, answer: `HTTP ${a.status}` };
    if (un.message.fault) return { schemaValid, answer: `Fault ${un.message.fault.faultcode}` };
    const v = un.message.bodyChild.value;
    return { schemaValid, answer: v['outcome'] === 'OK' ? 'OK' : `KO ${String((v['fault'] as Record<string, string> | undefined)?.['faultCode'] ?? '?')}` };
  }

  async function probe(spec: Spec) {
    const tree = await seed();
    const out = apply(tree, spec, operation);
    const a = await post(url + out.query, out.body, out.headers, budgetMs);
    return { findings: judge(spec, out, a), reach: reach(out, a) };
  }

  return {
    operation,
    async run(spec) {
      return (await probe(spec)).findings;
    },
    probe,
    async serving() {
      const tree = await seed();
      const out = apply(tree, { mutations: [], encoding: 'utf-8', contentType: 'text/xml; charset=utf-8', action: 'right' }, operation);
      const a = await post(url, out.body, out.headers, budgetMs);
      const found = judge(undefined, out, a);
      if (!('error' in a) && a.status !== 200) found.push({ operation, property: 'not-serving', detail: `the unmutated ${operation} got HTTP ${a.status}` });
      return found;
    },
    async close() {
      await world.idle();
      await world.stop();
    },
  };
}
