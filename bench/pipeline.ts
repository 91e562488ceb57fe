/**
 * `npx tsx bench/pipeline.ts --old <checkout>`: the CPU one SOAP message costs in the pipeline the
 * station and the mock Nodo share (issue 19): a SoapPort (src/soap/endpoint.ts) served a
 * paVerifyPaymentNotice request as node:http would hand it over (the body read, the envelope
 * unwrapped, validated and read, a handler's answer built, wrapped, validated, sent, journalled),
 * A/B against the same pipeline of an older checkout in one process, in alternating batches, so the
 * machine's load hits both alike (on a shared machine the load benchmarks cannot resolve 10%).
 * No sockets: the request and the answer are in-memory stand-ins with the members the port uses;
 * the handler returns the reference station's answer. <checkout> is a copy of an older commit
 * (`git archive <commit> | tar -x -C <dir>`, its node_modules linked to this one's).
 *
 * Usage: npx tsx bench/pipeline.ts --old <old-checkout> [--rounds 40]
 */
import { EventEmitter } from 'node:events';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as newEndpoint from '../src/soap/endpoint.ts';
import * as newExchange from '../src/soap/exchange.ts';
import { notice } from './lib/fixtures.ts';
import { EC, paVerifyReq } from './lib/messages.ts';

const { values } = parseArgs({ options: { old: { type: 'string' }, rounds: { type: 'string', default: '40' } } });
if (!values.old) {
  process.stderr.write('Failed to run the bench: no older checkout given. Pass --old <dir> (a copy of an older commit with node_modules).\n');
  process.exit(2);
}
const oldRoot = resolve(values.old);
const oldEndpoint = (await import(pathToFileURL(join(oldRoot, 'src/soap/endpoint.ts')).href)) as typeof newEndpoint;
const oldExchange = (await import(pathToFileURL(join(oldRoot, 'src/soap/exchange.ts')).href)) as typeof newExchange;

const PAFN = 'http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd';
/** The reference station's answer to a known notice. */
const ANSWER = {
  'pafn:paVerifyPaymentNoticeRes': {
    '@_xmlns:pafn': PAFN,
    outcome: 'OK',
    paymentList: {
      paymentOptionDescription: [{ amount: '10.00', options: 'EQ', dueDate: '2026-12-31', detailDescription: 'Tassa rifiuti 2026', allCCP: 'false' }],
    },
    paymentDescription: 'Tassa rifiuti 2026',
    fiscalCodePA: EC,
    companyName: 'Comune di Esempio',
    officeName: 'Ufficio tributi',
  },
};
const body = Buffer.from(paVerifyReq(notice(1)), 'utf8');

type Port = ReturnType<typeof newEndpoint.createSoapPort>;
function portOf(endpoint: typeof newEndpoint, exchange: typeof newExchange): Port {
  return endpoint.createSoapPort({
    iface: 'paForNode',
    journal: new exchange.Journal(),
    party: 'station:bench',
    caller: 'nodo',
    now: () => new Date(),
    handle: async () => ({ kind: 'response', body: ANSWER }),
    systemError: () => {
      throw new Error('the bench answer must stay valid');
    },
  });
}

/** Serves one request through `port`; resolves with the answer once it is sent. */
function serveOne(port: Port): Promise<string> {
  return new Promise((done, fail) => {
    const req = Object.assign(new EventEmitter(), {
      method: 'POST',
      url: '/',
      headers: { 'content-type': 'text/xml; charset=utf-8', 'content-length': String(body.length), soapaction: 'paVerifyPaymentNotice' },
    });
    const headers: Record<string, unknown> = {};
    const res = {
      statusCode: 0,
      headersSent: false,
      destroyed: false,
      socket: null,
      setHeader: (k: string, v: unknown) => {
        headers[k] = v;
      },
      end: (answer: string | Buffer) => {
        const text = String(answer);
        if (!text.includes('<outcome>OK</outcome>')) fail(new Error(`unexpected answer: ${text.slice(0, 300)}`));
        else done(text);
      },
    };
    if (!port.serve(req as never, res as never)) fail(new Error('the port did not take the request'));
    req.emit('data', body);
    req.emit('end');
  });
}

const OLD = portOf(oldEndpoint, oldExchange);
const NEW = portOf(newEndpoint, newExchange);
const BATCH = 200;
const rounds = Math.max(2, Number(values.rounds) || 40);
const batch = async (port: Port) => {
  const t = process.cpuUsage();
  for (let i = 0; i < BATCH; i++) await serveOne(port);
  const d = process.cpuUsage(t);
  return (d.user + d.system) / 1000;
};
for (let i = 0; i < 5; i++) {
  await batch(OLD);
  await batch(NEW);
}
let tOld = 0;
let tNew = 0;
const ratios: number[] = [];
for (let r = 0; r < rounds; r++) {
  const [a, b] = r % 2 ? [await batch(NEW), await batch(OLD)] : [0, 0];
  const [c, d] = r % 2 ? [0, 0] : [await batch(OLD), await batch(NEW)];
  const o = b + c;
  const n = a + d;
  tOld += o;
  tNew += n;
  ratios.push(o / n);
}
ratios.sort((x, y) => x - y);
const n = rounds * BATCH;
const us = (ms: number) => ((ms * 1000) / n).toFixed(1);
console.log(`old: ${oldRoot}; ${rounds} rounds of ${BATCH} requests per side, CPU time of this process; node ${process.version}`);
console.log(
  `paVerifyPaymentNotice through a SoapPort: old ${us(tOld)} us, new ${us(tNew)} us of CPU per request; old/new ${(tOld / tNew).toFixed(2)} (median of rounds ${ratios[Math.floor(rounds / 2)]!.toFixed(2)}, ${ratios[0]!.toFixed(2)}-${ratios[rounds - 1]!.toFixed(2)})`,
);
