/**
 * Outbound SOAP 1.1 calls with a per-call timeout. The result is either the parsed,
 * validated response or one exact failure class; the mock Nodo maps each class to a
 * PPT_* code, so the classification must stay precise.
 */
import http from 'node:http';
import https from 'node:https';
import { unwrap, type SoapMessage } from './envelope.ts';
import type { FailureKind } from './exchange.ts';
import type { Issue } from '../xml/issue.ts';
import { DEFAULT_MAX_BYTES } from '../xml/parse.ts';

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
  durationMs: number;
}

export type CallResult = CallSuccess | CallFailure;

const agentHttp = new http.Agent({ keepAlive: true, maxSockets: 64 });
const agentHttps = new https.Agent({ keepAlive: true, maxSockets: 64 });

export function callSoap(o: CallOptions): Promise<CallResult> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const maxBytes = o.maxBytes ?? DEFAULT_MAX_BYTES;
  return new Promise<CallResult>((resolve) => {
    let settled = false;
    const done = (r: CallResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const failureOf = (kind: FailureKind, message: string, extra: Partial<CallFailure> = {}): CallFailure => ({ ok: false, kind, message, issues: [], durationMs: elapsed(), ...extra });
    const failure = failureOf;

    let url: URL;
    try {
      url = new URL(o.url);
    } catch {
      resolve(failure('refused', `invalid endpoint URL '${o.url}'`));
      return;
    }
    const mod = url.protocol === 'https:' ? https : http;
    const body = Buffer.from(o.envelope, 'utf8');
    const req = mod.request(
      url,
      {
        method: 'POST',
        agent: url.protocol === 'https:' ? agentHttps : agentHttp,
        headers: {
          'Content-Type': 'text/xml; charset=utf-8',
          SOAPAction: `"${o.soapAction}"`,
          'Content-Length': String(body.length),
          ...o.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) {
            req.destroy();
            done(failure('not-xml', `response larger than ${maxBytes} bytes`, { status: res.statusCode }));
            return;
          }
          chunks.push(c);
        });
        res.on('error', (e: NodeJS.ErrnoException) => done(failure('reset', `connection broken while reading the response: ${e.code ?? e.message}`)));
        res.on('aborted', () => done(failure('reset', 'connection closed before the response was complete')));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          const contentType = res.headers['content-type'];
          const failure = (kind: FailureKind, message: string, extra: Partial<CallFailure> = {}): CallFailure => failureOf(kind, message, { ...(contentType ? { contentType } : {}), ...extra });
          const un = unwrap(text, { maxBytes });
          if (!un.ok) {
            if (status !== 200) {
              const ct = res.headers['content-type'] ?? 'no content type';
              done(failure('http-status', `HTTP ${status} (${ct}) without a SOAP envelope`, { status, text, issues: un.problem.issues }));
            } else {
              done(failure('not-xml', `the answer is not a SOAP 1.1 message: ${un.problem.message}`, { status, text, issues: un.problem.issues }));
            }
            return;
          }
          const m = un.message;
          if (m.fault) {
            done(failure('soap-fault', `SOAP Fault ${m.fault.faultcode}: ${m.fault.faultstring}`, { status, text, fault: { faultcode: m.fault.faultcode, faultstring: m.fault.faultstring } }));
            return;
          }
          if (status !== 200) {
            done(failure('http-status', `HTTP ${status} with a SOAP body (a response must come with HTTP 200)`, { status, text, issues: m.issues }));
            return;
          }
          if (o.expectResponse && m.bodyChild.local !== o.expectResponse) {
            const msg = `expected ${o.expectResponse} in the Body, got {${m.bodyChild.ns}}${m.bodyChild.local}`;
            done(failure('schema-invalid', msg, { status, text, issues: [...m.issues, { code: 'XSD_WRONG_ELEMENT', severity: 'error', message: msg, path: `/${m.bodyChild.local}`, line: m.bodyChild.line, col: 1 }] }));
            return;
          }
          if (m.issues.length) {
            const first = m.issues[0]!;
            done(failure('schema-invalid', `${o.expectResponse ?? m.bodyChild.local} is not valid against the XSD: ${first.path} (line ${first.line}:${first.col}): ${first.message}`, { status, text, issues: m.issues }));
            return;
          }
          done({ ok: true, status, ...(contentType ? { contentType } : {}), text, message: m, durationMs: elapsed() });
        });
      },
    );
    const timer = setTimeout(() => {
      done(failure('timeout', `no complete answer within ${o.timeoutMs} ms`));
      req.destroy();
    }, o.timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => {
      const code = e.code ?? '';
      if (code === 'ECONNREFUSED') done(failure('refused', `connection refused by ${url.host}`));
      else if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/i.test(e.message)) done(failure('reset', `connection closed or reset by ${url.host} without an answer (${code || e.message})`));
      else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') done(failure('refused', `host ${url.hostname} not found`));
      else if (code === 'ETIMEDOUT') done(failure('timeout', `connection to ${url.host} timed out`));
      else done(failure('refused', `cannot reach ${url.host}: ${code || e.message}`));
    });
    req.end(body);
  });
}
