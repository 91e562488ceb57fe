/**
 * One SOAP 1.1 port as an express handler. Fixed pipeline:
 * limits → envelope → route (SOAPAction + Body QName) → validate input → handler →
 * validate output → send, recording every exchange in the journal.
 * Applicative errors are the handler's business (KO responses); this layer only
 * produces SOAP Faults for what cannot be unmarshalled or routed.
 */
import express, { type Request, type Response, type Router } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { BuildObject } from '../xml/index.ts';
import { issue, type Issue } from '../xml/index.ts';
import { DEFAULT_MAX_BYTES } from '../xml/index.ts';
import { emptyXmlObject } from '../xml/index.ts';
import { actionFromContentType, readSoapAction } from './action.ts';
import { builtResponseFields, responseFields, type ResponseFields } from './responseFields.ts';
import { unwrap, wrap, type SoapMessage, type SoapProblem } from './envelope.ts';
import { soapFaultEnvelope, type SoapFaultCode } from './fault.ts';
import { describeHttpError } from './lastErrorHandler.ts';
import { operationByRequest, operationsOf, type Interface, type OperationDef } from './operations.ts';
import { CORRELATION_HEADER, correlationFromHeader, withCorrelation, type Journal, type NewExchange } from './exchange.ts';

export interface SoapRequestContext {
  operation: OperationDef;
  message: SoapMessage;
  soapAction?: string;
  /** The HTTP request (its headers); an express Request on the router's path, node's on the direct one. */
  req: IncomingMessage;
  res: ServerResponse;
}

export type HandlerResult =
  /** A response Body child as a build object, validated before sending. */
  | { kind: 'response'; body: BuildObject; notes?: string[]; meta?: Record<string, string | number | boolean | undefined> }
  /** Bytes sent as they are (fault injection); still validated for the journal when XML. */
  | { kind: 'raw'; status: number; contentType?: string; body: string; notes?: string[]; meta?: Record<string, string | number | boolean | undefined> }
  /** No answer at all: `close` ends the socket, `reset` sends a TCP RST. */
  | { kind: 'drop'; mode: 'close' | 'reset'; notes?: string[]; meta?: Record<string, string | number | boolean | undefined> };

export interface SoapEndpointOptions {
  iface: Interface;
  journal: Journal;
  /** Party name recorded in the journal, e.g. `nodo` or `station:<id>`. */
  party: string;
  /** Who calls this port (for sequence diagrams), e.g. `psp` or `nodo`. */
  caller: string;
  now: () => Date;
  maxBytes?: number;
  handle(ctx: SoapRequestContext): Promise<HandlerResult>;
  /** The answer to send when our own response is schema-invalid or the handler threw: a bug of ours. */
  systemError(ctx: SoapRequestContext, why: string): BuildObject;
  /**
   * Optional answer to an envelope that cannot be unwrapped (no Body, empty Body, another
   * envelope namespace...) when SOAPAction names an operation of this port (default: SOAP Fault).
   */
  onEnvelopeProblem?(problem: SoapProblem, operation: OperationDef): HandlerResult | undefined;
  /** Optional answer when SOAPAction names another operation than the Body (default: SOAP Fault Client). */
  onActionMismatch?(ctx: SoapRequestContext, action: string): HandlerResult | undefined;
  /** Called with every problem that is our bug (logged loudly by the owner). */
  onBug?(message: string): void;
}

const ACCEPTED_TYPES = /^(text\/xml|application\/xml|application\/soap\+xml|text\/plain|application\/octet-stream)\b/i;

/**
 * One SOAP port: the express Router (mount it at the port's path), and `serve` for the same port
 * straight from node:http (soapFirst in dispatch.ts), without express's router and body-parser:
 * the hot path of every station and Nodo call (issue 19). Both run the same exchange below.
 */
export interface SoapPort {
  router: Router;
  /**
   * Serves a POST already routed to this port (exact path, no query string), or returns false
   * without touching the request when it needs what only the router does: a Content-Encoding to
   * inflate, a body without Content-Length (chunked) or over the size cap (the 413 answer).
   */
  serve(req: IncomingMessage, res: ServerResponse): boolean;
}

export function createSoapEndpoint(opts: SoapEndpointOptions): Router {
  return createSoapPort(opts).router;
}

/** Sends `body` as the whole answer (what express's res.status().type().send() sent, minus its ETag and freshness logic, which SOAP POSTs never used). */
function sendText(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', /;\s*charset=/i.test(contentType) ? contentType : `${contentType}; charset=utf-8`);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  // A string goes out with the headers in one write (a Buffer would be a writev of two).
  res.end(body);
}

const XML_TYPE = 'text/xml; charset=utf-8';

export function createSoapPort(opts: SoapEndpointOptions): SoapPort {
  const router = express.Router();
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const ops = operationsOf(opts.iface);
  const byName = new Map(ops.map((o) => [o.name, o]));

  /** Records (and answers, while the caller listens) a request whose body could not be read. */
  const unreadable = (req: IncomingMessage, res: ServerResponse, url: string, tooLarge: boolean, type: string | undefined) => {
    const msg = tooLarge
      ? `Request body exceeds the limit of ${maxBytes} bytes`
      : `Failed to read the request body: ${readError({ type })}. Send the SOAP envelope as the plain body of the POST.`;
    const status = tooLarge ? 413 : 500;
    const adopted = correlationFromHeader(req.headers[CORRELATION_HEADER]);
    const chain = adopted ? { correlationId: adopted } : { correlationId: opts.journal.newCorrelationId(), origin: true };
    opts.journal.record({
      at: opts.now().toISOString(),
      party: opts.party,
      direction: 'inbound',
      from: opts.caller,
      to: opts.party,
      operation: 'unknown',
      url,
      request: '',
      httpStatus: status,
      response: '',
      durationMs: 0,
      notes: [msg],
      ...chain,
    });
    if (res.headersSent || res.destroyed) return;
    sendText(res, status, XML_TYPE, soapFaultEnvelope('Client', msg));
  };

  /** One exchange: the body has been read whole (`raw`); `query` only on the router's path. */
  const exchange = async (req: IncomingMessage, res: ServerResponse, raw: Buffer, url: string, query: Record<string, unknown> | undefined) => {
    const started = performance.now();
    const at = opts.now().toISOString();
    const contentType = req.headers['content-type'];
    const soapAction = readSoapAction(req.headers['soapaction'], query) ?? actionFromContentType(contentType);
    // The chain this request belongs to: the caller's (header), or a new one that starts here.
    const adopted = correlationFromHeader(req.headers[CORRELATION_HEADER]);
    const correlationId = adopted ?? opts.journal.newCorrelationId();
    // Tells the caller which journal chain its request is (GET /_control/journal?correlationId=...).
    res.setHeader(CORRELATION_HEADER, correlationId);
    // No object spreads on this path: V8 copies a spread object with a changing shape through its
    // slow path (microseconds per exchange in the station's profile).
    const base: Pick<NewExchange, 'at' | 'party' | 'direction' | 'from' | 'to' | 'url' | 'soapAction' | 'request' | 'correlationId' | 'origin'> = {
      at,
      party: opts.party,
      direction: 'inbound',
      from: opts.caller,
      to: opts.party,
      url,
      soapAction,
      request: '',
      correlationId,
    };
    if (!adopted) base.origin = true;

    const sendFault = (code: SoapFaultCode, message: string, issues: Issue[], status = 500, operation = soapAction ?? 'unknown') => {
      // The request as text for the journal: the raw bytes as UTF-8 when it failed before unwrap() decoded them.
      base.request ||= raw.toString('utf8');
      const body = soapFaultEnvelope(code, message);
      sendText(res, status, XML_TYPE, body);
      opts.journal.record({
        ...base,
        operation,
        httpStatus: status,
        response: body,
        requestIssues: issues,
        durationMs: performance.now() - started,
        faultCode: `soap:${code}`,
        notes: [message],
      });
    };

    /** Sends a handler result (validating our own answers) and journals the exchange. */
    const answer = (ctx: SoapRequestContext, result: HandlerResult, requestIssues: Issue[]) => {
      const operation = ctx.operation;
      const notes = result.notes ? [...result.notes] : [];
      const meta = result.meta ?? {};
      if (result.kind === 'drop') {
        opts.journal.record({
          ...base,
          operation: operation.name,
          requestIssues,
          durationMs: performance.now() - started,
          notes: [...notes, `connection ${result.mode === 'reset' ? 'reset' : 'closed'} without answering`],
          meta,
        });
        const sock = res.socket as (Socket & { resetAndDestroy?: () => void }) | null;
        if (result.mode === 'reset' && sock?.resetAndDestroy) sock.resetAndDestroy();
        else sock?.destroy();
        return;
      }
      let status = 200;
      let body: string;
      let responseIssues: Issue[] = [];
      let fields: ResponseFields;
      if (result.kind === 'raw') {
        status = result.status;
        body = result.body;
        const check = unwrap(body, { maxBytes: Math.max(maxBytes, body.length * 4), read: false });
        responseIssues = check.ok ? check.message.issues : check.problem.issues;
        sendText(res, status, result.contentType ?? XML_TYPE, body);
        fields = responseFields(body);
      } else {
        let built = result.body;
        body = wrap(built);
        // Our own text, encoded once for libxml2 (not decoded again nor scanned for DTDs). It goes out as
        // the string: node writes a string with the headers in one chunk, cheaper than a Buffer beside them
        // (profile: writev 1.18 vs 1.52 times the wasm's time), and encodes it the same way (xmlText
        // leaves no unpaired surrogate for either encoder to replace).
        const check = unwrap(Buffer.from(body, 'utf8'), { read: false, built: body });
        responseIssues = check.ok ? check.message.issues : check.problem.issues;
        if (responseIssues.length) {
          const why = `our ${operation.response} failed schema validation: ${responseIssues.map((i) => `${i.path}: ${i.message}`).join('; ')}`;
          opts.onBug?.(why);
          notes.push(`BUG: ${why}`);
          built = opts.systemError(ctx, 'internal error of the harness: invalid response suppressed');
          body = wrap(built);
        }
        sendText(res, status, XML_TYPE, body);
        fields = builtResponseFields(built);
      }
      const record: NewExchange = {
        at: base.at,
        party: base.party,
        direction: base.direction,
        from: base.from,
        to: base.to,
        url: base.url,
        soapAction: base.soapAction,
        request: base.request,
        correlationId: base.correlationId,
        operation: operation.name,
        httpStatus: status,
        response: body,
        requestIssues,
        responseIssues,
        durationMs: performance.now() - started,
        notes,
        meta,
      };
      if (base.origin) record.origin = true;
      if (fields.outcome) record.outcome = fields.outcome;
      if (fields.faultCode) record.faultCode = fields.faultCode;
      opts.journal.record(record);
    };

    if (contentType && !ACCEPTED_TYPES.test(contentType)) {
      const why = `Unsupported Content-Type '${contentType}': SOAP 1.1 requires text/xml`;
      return sendFault('Client', why, [issue('SOAP_CONTENT_TYPE', why)]);
    }
    if (contentType && SOAP12_TYPE.test(contentType)) {
      const why = 'Content-Type application/soap+xml is SOAP 1.2: this endpoint speaks SOAP 1.1. Send text/xml with a SOAP 1.1 envelope';
      return sendFault('VersionMismatch', why, [issue('SOAP_VERSION_MISMATCH', why)]);
    }
    const un = unwrap(raw, { maxBytes, contentType });
    if (!un.ok) {
      const problem = un.problem;
      base.request = problem.text ?? raw.toString('utf8');
      const named = soapAction ? byName.get(soapAction) : undefined;
      const alt = named && opts.onEnvelopeProblem ? opts.onEnvelopeProblem(problem, named) : undefined;
      if (!alt || !named) return sendFault(problem.faultCode, problem.message, problem.issues);
      const ctx: SoapRequestContext = {
        operation: named,
        message: {
          text: base.request,
          enveloped: true,
          bodyChild: { ns: named.ns, local: named.request, line: 0, value: emptyXmlObject() },
          issues: problem.issues,
        },
        soapAction,
        req,
        res,
      };
      return answer(ctx, alt, problem.issues);
    }
    const message = un.message;
    base.request = message.text;
    const { ns, local } = message.bodyChild;
    const operation = operationByRequest(ns, local);
    if (!operation || operation.iface !== opts.iface) {
      const expected = ops.map((o) => `{${o.ns}}${o.request}`);
      const sameLocal = ops.find((o) => o.request === local);
      const why = sameLocal
        ? `Body element ${local} is in namespace '${ns}' but this ${opts.iface} port expects it in '${sameLocal.ns}' (children stay unqualified)`
        : `Unknown Body element {${ns}}${local} for this ${opts.iface} port; expected one of ${expected.join(', ')}`;
      return sendFault('Client', why, message.issues.length ? message.issues : [issue('SOAP_UNKNOWN_OPERATION', why)], 500, soapAction ?? local);
    }
    const ctx: SoapRequestContext = { operation, message, soapAction, req, res };

    let result: HandlerResult;
    try {
      if (soapAction && soapAction !== operation.name) {
        const alt = opts.onActionMismatch?.(ctx, soapAction);
        if (!alt) {
          return sendFault(
            'Client',
            `SOAPAction '${soapAction}' does not match the Body element ${local} (expected SOAPAction '${operation.name}')`,
            [issue('SOAP_ACTION_MISMATCH', 'SOAPAction mismatch')],
            500,
            operation.name,
          );
        }
        result = alt;
      } else {
        result = await withCorrelation(correlationId, () => opts.handle(ctx));
      }
    } catch (e) {
      const why = `handler ${operation.name} threw: ${(e as Error).message}`;
      opts.onBug?.(why);
      result = { kind: 'response', body: opts.systemError(ctx, 'internal error of the harness (see its log)'), notes: [why] };
    }
    answer(ctx, result, message.issues);
  };

  router.post('/', express.raw({ type: () => true, limit: maxBytes }), (req: Request, res: Response) =>
    exchange(req, res, Buffer.isBuffer(req.body) ? req.body : EMPTY, req.originalUrl, req.query as Record<string, unknown>),
  );

  // Body over the limit and other body-parser errors become SOAP Faults (HTTP 500 as SOAP 1.1
  // wants for any fault; 413 for the size limit), never HTML stack traces.
  router.use((err: Error & { status?: number; type?: string }, req: Request, res: Response, _next: express.NextFunction) => {
    unreadable(req, res, req.originalUrl, err.type === 'entity.too.large' || err.status === 413, err.type);
  });

  const serve = (req: IncomingMessage, res: ServerResponse): boolean => {
    const h = req.headers;
    const length = h['content-length'];
    const coding = h['content-encoding'];
    if (length === undefined || h['transfer-encoding'] !== undefined || (coding !== undefined && coding.toLowerCase() !== 'identity')) return false;
    const expected = Number(length);
    if (!(expected <= maxBytes)) return false;
    const url = req.url ?? '/';
    const chunks: Buffer[] = [];
    let got = 0;
    let failed = false;
    const fail = () => {
      if (failed) return;
      failed = true;
      unreadable(req, res, url, false, 'request.aborted');
    };
    req.on('data', (c: Buffer) => {
      chunks.push(c);
      got += c.length;
    });
    req.once('aborted', fail);
    req.once('error', fail);
    req.once('end', () => {
      if (failed) return;
      const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, got);
      exchange(req, res, raw, url, undefined).catch((e: unknown) => {
        // What express would have handed to the part's lastErrorHandler: our bug, said once, and a Fault, never a stack.
        opts.onBug?.(`POST ${url}: ${e instanceof Error ? e.message : String(e)}`);
        if (!res.headersSent && !res.destroyed)
          sendText(res, 500, XML_TYPE, soapFaultEnvelope('Server', describeHttpError(e instanceof Error ? e : new Error(String(e)), 500)));
      });
    });
    return true;
  };

  return { router, serve };
}

const EMPTY = Buffer.alloc(0);
const SOAP12_TYPE = /^application\/soap\+xml/i;

/** What body-parser could not do, in words (never its stack). */
function readError(err: { type?: string }): string {
  switch (err.type) {
    case 'encoding.unsupported':
      return 'its Content-Encoding is not supported (send it uncompressed, or gzip/deflate/br)';
    case 'charset.unsupported':
      return 'its charset is not supported';
    case 'request.aborted':
      return 'the client closed the connection before the body was complete';
    case 'request.size.invalid':
      return 'fewer bytes arrived than Content-Length announced';
    default:
      return 'the body could not be read';
  }
}
