/**
 * SOAP 1.1 envelopes: unwrap an incoming message into its Body child (validated against
 * the pagoPA schemas) and wrap outgoing Body children.
 */
import type { XmlElement } from 'libxml2-wasm';
import { issue, type Issue } from '../xml/index.ts';
import { elementAt, elementChildPointers, parseXml, pointerOf, qnameAt } from '../xml/index.ts';
import { findStartTag } from '../xml/index.ts';
import { NS } from '../xml/index.ts';
import { elementQName, validateElement } from '../xml/index.ts';
import { elementObject, elementObjectAt, text as textOf, type XmlObject } from '../xml/index.ts';
import { buildXml, type BuildObject } from '../xml/index.ts';

export interface BodyChild {
  ns: string;
  local: string;
  /** 1-based line of the element's start tag in the whole message. */
  line: number;
  /** The Body child as an object (see xml/read.ts); children are unprefixed. */
  value: XmlObject;
}

export interface SoapMessage {
  text: string;
  /** false when the input was a bare message (no Envelope). */
  enveloped: boolean;
  bodyChild: BodyChild;
  /** Header entries as objects, when there is a Header. */
  header?: XmlObject;
  /** SOAP Fault found in the Body (faultcode/faultstring/detail), if the Body child is a Fault. */
  fault?: { faultcode: string; faultstring: string; detail?: unknown };
  /** Schema issues of the Body child (empty = valid). */
  issues: Issue[];
}

/** What kind of envelope problem it is (lets a port answer some of them its own way). */
export type SoapProblemReason = 'not-xml' | 'not-envelope' | 'envelope-namespace' | 'no-body' | 'empty-body' | 'body-children';

/** Why a message could not be unwrapped; `faultCode` is the SOAP 1.1 fault to answer with. */
export interface SoapProblem {
  faultCode: 'Client' | 'VersionMismatch' | 'Server';
  reason: SoapProblemReason;
  message: string;
  issues: Issue[];
  /** The message as decoded text, when its bytes could be decoded. */
  text?: string;
}

export type UnwrapResult = { ok: true; message: SoapMessage } | { ok: false; problem: SoapProblem };

export interface UnwrapOptions {
  maxBytes?: number;
  /** Accept a bare message without Envelope (the `validate` CLI does). */
  allowBare?: boolean;
  /** Skip XSD validation of the Body child (never for traffic; for tools only). */
  skipValidation?: boolean;
  /**
   * Build `bodyChild.value` and `header` from the validated document (default true). Callers
   * that only need the issues (checking our own answers) pass false: reading `value` is then a bug.
   */
  read?: boolean;
  /**
   * The text `input` was encoded from, when it is our own message built by buildXml and wrap
   * (`input` its UTF-8 bytes): parsed without decoding or the forbidden-construct scan, then
   * checked and validated as any other (xml/parse.ts, parseBuilt).
   */
  built?: string;
  /** The HTTP Content-Type: its charset decides how bytes are decoded (after a BOM, before the XML declaration). */
  contentType?: string;
}

function fail(
  faultCode: SoapProblem['faultCode'],
  reason: SoapProblemReason,
  message: string,
  text: string | undefined,
  issues: Issue[] = [],
  at?: Partial<Pick<Issue, 'line' | 'col' | 'path'>>,
): UnwrapResult {
  const list = issues.length ? issues : [issue(faultCode === 'VersionMismatch' ? 'SOAP_VERSION_MISMATCH' : 'SOAP_INVALID', message, at)];
  return { ok: false, problem: { faultCode, reason, message, issues: list, ...(text !== undefined ? { text } : {}) } };
}

/** Where an envelope problem is: the start tag of `el` in `text`. */
function placeOf(text: string, el: XmlElement): Pick<Issue, 'line' | 'col' | 'path'> {
  const tag = findStartTag(text, el.line, elementQName(el).local);
  return { line: el.line, col: tag?.col ?? 1, path: tag?.path ?? `/${el.name}` };
}

/** The Body child of a message unwrapped with `read: false`: reading `value` is a loud bug (a getter of the class, so not an own or enumerable key). */
class UnreadBodyChild {
  constructor(
    readonly ns: string,
    readonly local: string,
    readonly line: number,
  ) {}
  get value(): XmlObject {
    throw new Error('BUG: bodyChild.value read from a message unwrapped with read: false');
  }
}

/**
 * Parses (once), checks the SOAP 1.1 envelope, validates the Body child against the XSD and,
 * unless `read: false`, reads the Body child and Header from that same document before it
 * is disposed: what handlers read is what was validated.
 */
export function unwrap(input: Uint8Array | string, opts: UnwrapOptions = {}): UnwrapResult {
  const parsed = parseXml(input, { maxBytes: opts.maxBytes, contentType: opts.contentType, built: opts.built });
  if (!parsed.ok) {
    const first = parsed.issues[0]!;
    return fail('Client', 'not-xml', first.message, parsed.text, parsed.issues);
  }
  const { doc, root, text } = parsed.value;
  try {
    const rootQ = elementQName(root);
    let child: XmlElement | undefined;
    let header = 0;
    let enveloped = false;
    if (rootQ.local === 'Envelope' && rootQ.ns !== NS.soap11) {
      if (rootQ.ns === NS.soap12) {
        return fail(
          'VersionMismatch',
          'envelope-namespace',
          `SOAP 1.2 envelope (${NS.soap12}) received on a SOAP 1.1 endpoint: send a SOAP 1.1 envelope in ${NS.soap11}`,
          text,
          [],
          placeOf(text, root),
        );
      }
      const why =
        rootQ.ns === ''
          ? `Envelope is in no namespace: a SOAP 1.1 Envelope must be in ${NS.soap11}`
          : `Envelope in namespace ${rootQ.ns} is not a SOAP 1.1 envelope: use ${NS.soap11}`;
      return fail('VersionMismatch', 'envelope-namespace', why, text, [], placeOf(text, root));
    }
    if (rootQ.local === 'Envelope') {
      enveloped = true;
      // The envelope's structure walked by pointer (xml/nodeStructs.ts): wrappers only for the
      // Body child (validation wants one) and for the element a problem is reported at.
      let body = 0;
      for (const c of elementChildPointers(pointerOf(root))) {
        const q = qnameAt(c);
        if (q.ns !== NS.soap11) continue;
        if (q.local === 'Header') header = c;
        else if (q.local === 'Body') body = c;
      }
      if (!body)
        return fail(
          'Client',
          'no-body',
          `The SOAP Envelope has no Body element: put the pagoPA message in <soapenv:Body> (${NS.soap11})`,
          text,
          [],
          placeOf(text, root),
        );
      const children = elementChildPointers(body);
      if (children.length === 0)
        return fail('Client', 'empty-body', 'The SOAP Body is empty: expected exactly one pagoPA message element', text, [], placeOf(text, elementAt(body)));
      if (children.length > 1) {
        const extra = elementAt(children[1]!);
        const q = elementQName(extra);
        return fail(
          'Client',
          'body-children',
          `The SOAP Body has ${children.length} child elements (the second is {${q.ns}}${q.local}): expected exactly one pagoPA message element`,
          text,
          [],
          placeOf(text, extra),
        );
      }
      child = elementAt(children[0]!);
    } else {
      if (!opts.allowBare)
        return fail(
          'Client',
          'not-envelope',
          `Expected a SOAP 1.1 Envelope, got root element {${rootQ.ns}}${rootQ.local}: wrap the message in <soapenv:Envelope><soapenv:Body>`,
          text,
          [],
          placeOf(text, root),
        );
      child = root;
    }
    const q = elementQName(child!);
    const read = opts.read !== false;
    const bodyChild: BodyChild = read
      ? { ns: q.ns, local: q.local, line: child!.line, value: elementObject(child!) }
      : new UnreadBodyChild(q.ns, q.local, child!.line);
    const message: SoapMessage = { text, enveloped, bodyChild, issues: [] };
    if (header && read) message.header = elementObjectAt(header);
    if (q.ns === NS.soap11 && q.local === 'Fault') {
      const value = read ? bodyChild.value : elementObject(child!);
      message.fault = {
        faultcode: (textOf(value['faultcode']) ?? '').trim(),
        faultstring: textOf(value['faultstring']) ?? '',
        ...(value['detail'] !== undefined ? { detail: value['detail'] } : {}),
      };
      return { ok: true, message };
    }
    if (!opts.skipValidation) message.issues = validateElement(child!, text, q.local);
    return { ok: true, message };
  } finally {
    doc.dispose();
  }
}

/**
 * Wraps a Body child (already serialised or as a build object) in a SOAP 1.1 envelope. A build
 * object is serialised at the Body's depth; a serialised child has each of its lines indented.
 */
export function wrap(bodyChild: string | BuildObject, headerXml?: string): string {
  const indented =
    typeof bodyChild === 'string'
      ? bodyChild
          .split('\n')
          .map((l) => `    ${l}`)
          .join('\n')
      : buildXml(bodyChild, 2);
  const header = headerXml ? `  <soapenv:Header>${headerXml}</soapenv:Header>\n` : '  <soapenv:Header/>\n';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<soapenv:Envelope xmlns:soapenv="${NS.soap11}">\n${header}  <soapenv:Body>\n${indented}\n  </soapenv:Body>\n</soapenv:Envelope>\n`;
}
