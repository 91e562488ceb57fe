/**
 * Outbound SOAP 1.1 calls with a per-call timeout. The result is either the parsed,
 * validated response or one exact failure class; the mock Nodo maps each class to a
 * PPT_* code, so the classification must stay precise:
 *
 * - `refused` / `reset`: no answer at all (nothing listening, connection closed or reset
 *   before the first byte of a response) — the station could not be reached;
 * - `timeout`: no complete answer in time (including a body that drips in too slowly);
 * - `bad-http`: the station answered, but not with valid HTTP (garbage status line, header
 *   flood, invalid framing) or cut the answer off in the middle of its body;
 * - `too-large`: an answer body over the size limit (a 20 MB or endless body);
 * - `http-status` / `not-xml`: an answer that is not a SOAP message (an HTML error page,
 *   JSON, an empty body...), classified by its status and Content-Type before any XML rule;
 * - `soap-fault`, `schema-invalid`: a SOAP message that is a Fault or breaks the XSD.
 *
 * Bytes are decoded in the encoding the answer declares (BOM, Content-Type charset, XML
 * declaration). A valid answer with a Content-Type that is not XML is accepted with a warning.
 */
import http from 'node:http';
import https from 'node:https';
import { unwrap, type SoapMessage } from './envelope.ts';
import { CORRELATION_HEADER, currentCorrelation, type ExchangeFinding, type FailureKind } from './exchange.ts';
import { issue, type Issue } from '../xml/index.ts';
import { DEFAULT_MAX_BYTES, decodeBody } from '../xml/index.ts';

export interface CallOptions {
  url: string;
  soapAction: string;
  envelope: string;
  timeoutMs: number;
  /** Expected response root element local name; another element is a schema-invalid answer. */
  expectResponse?: string;
  maxBytes?: number;
  headers?: Record<string, string>;
}

export interface CallSuccess {
  ok: true;
  status: number;
  /** The answer's Content-Type header, as sent. */
  contentType?: string;
  text: string;
  message: SoapMessage;
  durationMs: number;
  /** What is wrong with the answer without making it unusable, e.g. a text/html Content-Type. */
  warnings: ExchangeFinding[];
}

export interface CallFailure {
  ok: false;
  kind: FailureKind;
  /** What went wrong, in words a station author can act on. */
  message: string;
  status?: number;
  /** The answer's Content-Type header, when an answer arrived. */
  contentType?: string;
  text?: string;
  issues: Issue[];
  fault?: { faultcode: string; faultstring: string };
  /** The answer's SOAP message, when it was one (a KO with HTTP 500, a schema-invalid response...). */
  soap?: SoapMessage;
  durationMs: number;
}

export type CallResult = CallSuccess | CallFailure;

// Idle keep-alive sockets are closed after 2 s, before the server closes them: a node server does
// after 5 s (keepAliveTimeout), and reusing a socket just as the server closes it failed the call
// as 'reset' (PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE) without the station ever reading it: 1 payment
// in a few thousand under load (bench/payments.ts).
// 'lifo': the socket freed last is reused first, so a steady load keeps a few warm sockets and the
// others reach their idle timeout instead of all staying half-used.
const KEEP_ALIVE = { keepAlive: true, maxSockets: 64, timeout: 2000, scheduling: 'lifo' as const };
const agentHttp = new http.Agent(KEEP_ALIVE);
const agentHttps = new https.Agent(KEEP_ALIVE);

const XML_TYPES = /^(text\/xml|application\/xml|application\/soap\+xml|application\/[\w.+-]+\+xml)\b/i;

/** What an answer that is not XML is, judged from its first characters and its Content-Type. */
function nonXmlShape(text: string, contentType: string | undefined): string | undefined {
  const head = text.trimStart().slice(0, 512);
  if (head === '') return 'an empty body';
  if (/^<!doctype\s+html|^<html[\s>]/i.test(head) || (/^text\/html/i.test(contentType ?? '') && !/^<(\?xml|[\w.-]+:Envelope|Envelope)[\s>]/.test(head))) {
    const title = /<title[^>]*>([^<]{1,120})/i.exec(text)?.[1]?.trim();
    return `an HTML page${title ? ` ("${title}")` : ''}`;
  }
  if (/^[[{]/.test(head) || /^application\/([\w.+-]+\+)?json/i.test(contentType ?? '')) return 'JSON';
  if (!head.startsWith('<')) return `text starting with ${JSON.stringify(head.slice(0, 40))}`;
  return undefined;
}

const UTF8_OR_NO_CHARSET = /^[^;]*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/**
 * An answer nonXmlShape would pass without a look at its text: an XML Content-Type in UTF-8 (or with
 * no charset) and a body whose first byte after blanks opens an XML declaration or an element that
 * cannot be <html> or <!DOCTYPE>. Spares decoding the head of every valid answer twice.
 */
function plainlyXml(bytes: Buffer, contentType: string | undefined): boolean {
  if (contentType === undefined || !XML_TYPES.test(contentType) || !UTF8_OR_NO_CHARSET.test(contentType)) return false;
  let i = 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  if (bytes[i] !== 0x3c) return false;
  const next = bytes[i + 1];
  // '?', or an ASCII letter other than h/H (an element such as soap:Envelope).
  return next === 0x3f || (next !== undefined && ((next >= 0x41 && next <= 0x5a) || (next >= 0x61 && next <= 0x7a)) && next !== 0x48 && next !== 0x68);
}

/**
 * Where a call goes, parsed once per endpoint URL (a station is called thousands of times): the
 * request options node would derive from the URL on every call, and the Host header.
 */
interface Target {
  url: URL;
  secure: boolean;
  /** http.request options without the headers; undefined when the URL carries credentials (then the URL itself is passed). */
  base?: { protocol: string; hostname: string; port: string; path: string; method: 'POST' };
  host: string;
}
const targets = new Map<string, Target>();
const TARGETS_KEPT = 1024;

function targetOf(endpoint: string): Target {
  let t = targets.get(endpoint);
  if (t) return t;
  const url = new URL(endpoint);
  const secure = url.protocol === 'https:';
  // URL keeps an IPv6 host in brackets; node wants it bare (what it does itself for a URL).
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const base =
    url.username || url.password
      ? undefined
      : { protocol: url.protocol, hostname, port: url.port, path: `${url.pathname}${url.search}`, method: 'POST' as const };
  t = { url, secure, ...(base ? { base } : {}), host: url.host };
  if (targets.size >= TARGETS_KEPT) targets.delete(targets.keys().next().value!);
  targets.set(endpoint, t);
  return t;
}

/** HTTP parser errors of node (`HPE_*`): the peer sent bytes that are not an HTTP response. */
function httpParserProblem(code: string): string | undefined {
  if (code === 'HPE_HEADER_OVERFLOW') return 'its response headers are larger than the HTTP client accepts (header flood)';
  if (code === 'HPE_INVALID_CONSTANT' || code === 'HPE_INVALID_STATUS' || code === 'HPE_INVALID_VERSION')
    return 'its status line is not HTTP (expected "HTTP/1.1 <code> <reason>")';
  if (code.startsWith('HPE_')) return `its answer is not valid HTTP (${code})`;
  return undefined;
}

export function callSoap(o: CallOptions): Promise<CallResult> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const maxBytes = o.maxBytes ?? DEFAULT_MAX_BYTES;
  return new Promise<CallResult>((resolve) => {
    let settled = false;
    /** Set once the status line and headers of a response arrived: from then on the station has answered. */
    let answered = false;
    const done = (r: CallResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const failure = (kind: FailureKind, message: string, extra: Partial<CallFailure> = {}): CallFailure => ({
      ok: false,
      kind,
      message,
      issues: [],
      durationMs: elapsed(),
      ...extra,
    });

    let target: Target;
    try {
      target = targetOf(o.url);
    } catch {
      resolve(failure('refused', `invalid endpoint URL '${o.url}'`));
      return;
    }
    const { url } = target;
    const mod = target.secure ? https : http;
    const agent = target.secure ? agentHttps : agentHttp;
    // The exchange this call is part of, so the callee's journal links its record to it.
    const correlation = currentCorrelation();
    // The envelope goes out as a string: node writes it with the request head in one write (a Buffer
    // would be a second chunk), and no copy of it is made here.
    const length = String(Buffer.byteLength(o.envelope));
    const soapAction = `"${o.soapAction}"`;
    const req =
      target.base && !o.headers
        ? // The usual call: the head as a flat list (node stores it at once, without a header map).
          mod.request(
            {
              ...target.base,
              agent,
              headers: [
                'Host',
                target.host,
                'Content-Type',
                'text/xml; charset=utf-8',
                'SOAPAction',
                soapAction,
                'Content-Length',
                length,
                ...(correlation ? [CORRELATION_HEADER, correlation] : []),
              ],
            },
            onResponse,
          )
        : mod.request(
            url,
            {
              method: 'POST',
              agent,
              headers: {
                'Content-Type': 'text/xml; charset=utf-8',
                SOAPAction: soapAction,
                'Content-Length': length,
                ...(correlation ? { [CORRELATION_HEADER]: correlation } : {}),
                ...o.headers,
              },
            },
            onResponse,
          );
    function onResponse(res: http.IncomingMessage): void {
      answered = true;
      const status = res.statusCode ?? 0;
      const contentType = res.headers['content-type'];
      const ct = contentType ?? 'no Content-Type';
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (settled) return;
        size += c.length;
        if (size > maxBytes) {
          const msg = `HTTP ${status} (${ct}) with a body larger than ${maxBytes} bytes: not read further. A response must be a SOAP message well under that size.`;
          done(failure('too-large', msg, { status, contentType, issues: [issue('ANSWER_TOO_LARGE', msg, { line: 1, col: 1, path: '/' })] }));
          req.destroy();
          return;
        }
        chunks.push(c);
      });
      const cutOff = (why: string) =>
        done(
          failure('bad-http', `HTTP ${status} (${ct}) answer cut off after ${size} bytes of body: ${why}. The station must send its whole response.`, {
            status,
            contentType,
          }),
        );
      res.on('error', (e: NodeJS.ErrnoException) => {
        const parser = httpParserProblem(e.code ?? '');
        if (parser) done(failure('bad-http', `the station answered HTTP ${status} but ${parser}`, { status, contentType }));
        else cutOff(e.code ?? e.message);
      });
      res.on('aborted', () => cutOff('connection closed'));
      res.on('end', () => {
        if (settled) return;
        if (!res.complete) return cutOff('connection closed');
        const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        // What the answer is, from its first characters and Content-Type, before any XML rule.
        const shape = plainlyXml(bytes, contentType) ? undefined : nonXmlShape(decodeBody(bytes.subarray(0, 2048), contentType), contentType);
        if (shape) {
          const msg = `HTTP ${status} with Content-Type ${contentType ?? '(none)'}: ${shape}, not a SOAP 1.1 message. The station must answer text/xml with a SOAP envelope: HTTP 200 with the response, or HTTP 500 with a SOAP Fault.`;
          done(
            failure(status === 200 ? 'not-xml' : 'http-status', msg, {
              status,
              contentType,
              text: decodeBody(bytes, contentType),
              issues: [issue('ANSWER_NOT_SOAP', msg, { line: 1, col: 1, path: '/' })],
            }),
          );
          return;
        }
        const un = unwrap(bytes, { maxBytes, contentType });
        const text = un.ok ? un.message.text : (un.problem.text ?? bytes.toString('utf8'));
        if (!un.ok) {
          const p = un.problem;
          if (status !== 200)
            done(failure('http-status', `HTTP ${status} (${ct}) without a SOAP envelope: ${p.message}`, { status, contentType, text, issues: p.issues }));
          else done(failure('not-xml', `the answer is not a SOAP 1.1 message: ${p.message}`, { status, contentType, text, issues: p.issues }));
          return;
        }
        const m = un.message;
        const warnings: ExchangeFinding[] = XML_TYPES.test(contentType ?? '')
          ? []
          : [
              {
                code: 'ANSWER_CONTENT_TYPE',
                severity: 'warning',
                message: `the answer has Content-Type ${contentType ?? '(none)'}; SOAP 1.1 answers are text/xml (accepted, as the message itself is valid)`,
              },
            ];
        if (m.fault) {
          done(
            failure('soap-fault', `SOAP Fault ${m.fault.faultcode}: ${m.fault.faultstring}`, {
              status,
              contentType,
              text,
              soap: m,
              fault: { faultcode: m.fault.faultcode, faultstring: m.fault.faultstring },
            }),
          );
          return;
        }
        if (status !== 200) {
          done(
            failure('http-status', `HTTP ${status} with a SOAP body (a response must come with HTTP 200)`, {
              status,
              contentType,
              text,
              soap: m,
              issues: m.issues,
            }),
          );
          return;
        }
        if (o.expectResponse && m.bodyChild.local !== o.expectResponse) {
          const msg = `expected ${o.expectResponse} in the Body, got {${m.bodyChild.ns}}${m.bodyChild.local}`;
          done(
            failure('schema-invalid', msg, {
              status,
              contentType,
              text,
              soap: m,
              issues: [
                ...m.issues,
                { code: 'XSD_WRONG_ELEMENT', severity: 'error', message: msg, path: `/${m.bodyChild.local}`, line: m.bodyChild.line, col: 1 },
              ],
            }),
          );
          return;
        }
        if (m.issues.length) {
          const first = m.issues[0]!;
          done(
            failure(
              'schema-invalid',
              `${o.expectResponse ?? m.bodyChild.local} is not valid against the XSD: ${first.path} (line ${first.line}:${first.col}): ${first.message}`,
              { status, contentType, text, soap: m, issues: m.issues },
            ),
          );
          return;
        }
        done({ ok: true, status, ...(contentType ? { contentType } : {}), text, message: m, durationMs: elapsed(), warnings });
      });
    }
    const timer = setTimeout(() => {
      done(failure('timeout', `no complete answer within ${o.timeoutMs} ms${answered ? ' (the status line arrived, the body did not finish)' : ''}`));
      req.destroy();
    }, o.timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => {
      const code = e.code ?? '';
      const parser = httpParserProblem(code);
      if (parser) done(failure('bad-http', `the station answered but ${parser}`));
      else if (code === 'ECONNREFUSED') done(failure('refused', `connection refused by ${url.host}`));
      else if (answered) done(failure('bad-http', `the answer was cut off: ${code || e.message}. The station must send its whole response.`));
      else if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/i.test(e.message))
        done(failure('reset', `connection closed or reset by ${url.host} without an answer (${code || e.message})`));
      else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') done(failure('refused', `host ${url.hostname} not found`));
      else if (code === 'ETIMEDOUT') done(failure('timeout', `connection to ${url.host} timed out`));
      else done(failure('refused', `cannot reach ${url.host}: ${code || e.message}`));
    });
    req.end(o.envelope);
  });
}
