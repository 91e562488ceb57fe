/**
 * SOAP 1.1 envelopes: unwrap an incoming message into its Body child (validated against
 * the pagoPA schemas) and wrap outgoing Body children.
 */
import type { XmlElement } from 'libxml2-wasm';
import { issue, type Issue } from '../xml/issue.ts';
import { childElements, parseXml } from '../xml/parse.ts';
import { findStartTag } from '../xml/locate.ts';
import { NS } from '../xml/schemas.ts';
import { elementQName, validateElement } from '../xml/validate.ts';
import { xmlToObject, type XmlObject } from '../xml/read.ts';
import { buildXml, type BuildObject } from '../xml/build.ts';

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

/** Why a message could not be unwrapped; `faultCode` is the SOAP 1.1 fault to answer with. */
export interface SoapProblem {
  faultCode: 'Client' | 'VersionMismatch' | 'Server';
  message: string;
  issues: Issue[];
}

export type UnwrapResult = { ok: true; message: SoapMessage } | { ok: false; problem: SoapProblem };

export interface UnwrapOptions {
  maxBytes?: number;
  /** Accept a bare message without Envelope (the `validate` CLI does). */
  allowBare?: boolean;
  /** Skip XSD validation of the Body child (never for traffic; for tools only). */
  skipValidation?: boolean;
}

function fail(faultCode: SoapProblem['faultCode'], message: string, issues: Issue[] = [], at?: Partial<Pick<Issue, 'line' | 'col' | 'path'>>): UnwrapResult {
  return { ok: false, problem: { faultCode, message, issues: issues.length ? issues : [issue(faultCode === 'VersionMismatch' ? 'SOAP_VERSION_MISMATCH' : 'SOAP_INVALID', message, at)] } };
}

/** Where an envelope problem is: the start tag of `el` in `text`. */
function placeOf(text: string, el: XmlElement): Pick<Issue, 'line' | 'col' | 'path'> {
  const tag = findStartTag(text, el.line, elementQName(el).local);
  return { line: el.line, col: tag?.col ?? 1, path: tag?.path ?? `/${el.name}` };
}

function bodyValue(obj: XmlObject, enveloped: boolean, local: string): XmlObject {
  if (!enveloped) return (obj[local] as XmlObject) ?? {};
  const env = obj['Envelope'] as XmlObject | undefined;
  const body = env?.['Body'] as XmlObject | undefined;
  const v = body?.[local];
  return (typeof v === 'object' && !Array.isArray(v) ? v : {}) as XmlObject;
}

function headerValue(obj: XmlObject): XmlObject {
  const h = (obj['Envelope'] as XmlObject | undefined)?.['Header'];
  return h && typeof h === 'object' && !Array.isArray(h) ? h : {};
}

function memo<T>(compute: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value;
  };
}

/**
 * Defines `key` on `target` as an enumerable property computed on first read (and
 * assignable). Converting the XML to an object costs more than validating it, and most
 * readers of a message (the validate CLI, journals) never look at the object.
 */
function lazy<T extends object, V>(target: T, key: string, compute: () => V): T {
  const settle = (value: V) => Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get: () => {
      const value = compute();
      settle(value);
      return value;
    },
    set: settle,
  });
  return target;
}

export function unwrap(input: Uint8Array | string, opts: UnwrapOptions = {}): UnwrapResult {
  const parsed = parseXml(input, { maxBytes: opts.maxBytes });
  if (!parsed.ok) {
    const first = parsed.issues[0]!;
    return fail('Client', first.message, parsed.issues);
  }
  const { doc, root, text } = parsed.value;
  try {
    const rootQ = elementQName(root);
    let child: XmlElement | undefined;
    let header: XmlElement | undefined;
    let enveloped = false;
    if (rootQ.local === 'Envelope' && (rootQ.ns === NS.soap11 || rootQ.ns === NS.soap12 || rootQ.ns === '')) {
      if (rootQ.ns === NS.soap12) {
        return fail('VersionMismatch', `SOAP 1.2 envelope (${NS.soap12}) received on a SOAP 1.1 endpoint: send a SOAP 1.1 envelope in ${NS.soap11}`, [], placeOf(text, root));
      }
      if (rootQ.ns !== NS.soap11) {
        return fail('VersionMismatch', `Envelope is in no namespace: a SOAP 1.1 Envelope must be in ${NS.soap11}`, [], placeOf(text, root));
      }
      enveloped = true;
      let body: XmlElement | undefined;
      for (const c of childElements(root)) {
        const q = elementQName(c);
        if (q.ns === NS.soap11 && q.local === 'Header') header = c;
        else if (q.ns === NS.soap11 && q.local === 'Body') body = c;
      }
      if (!body) return fail('Client', `The SOAP Envelope has no Body element: put the pagoPA message in <soapenv:Body> (${NS.soap11})`, [], placeOf(text, root));
      const children = [...childElements(body)];
      if (children.length === 0) return fail('Client', 'The SOAP Body is empty: expected exactly one pagoPA message element', [], placeOf(text, body));
      if (children.length > 1) {
        const extra = elementQName(children[1]!);
        return fail('Client', `The SOAP Body has ${children.length} child elements (the second is {${extra.ns}}${extra.local}): expected exactly one pagoPA message element`, [], placeOf(text, children[1]!));
      }
      child = children[0];
    } else if (rootQ.local === 'Envelope') {
      return fail('VersionMismatch', `Envelope in namespace ${rootQ.ns} is not a SOAP 1.1 envelope: use ${NS.soap11}`, [], placeOf(text, root));
    } else {
      if (!opts.allowBare) return fail('Client', `Expected a SOAP 1.1 Envelope, got root element {${rootQ.ns}}${rootQ.local}: wrap the message in <soapenv:Envelope><soapenv:Body>`, [], placeOf(text, root));
      child = root;
    }
    const q = elementQName(child!);
    const object = memo(() => xmlToObject(text));
    const message: SoapMessage = {
      text,
      enveloped,
      bodyChild: lazy({ ns: q.ns, local: q.local, line: child!.line }, 'value', () => bodyValue(object(), enveloped, q.local)) as BodyChild,
      issues: [],
    };
    if (header) lazy(message, 'header', () => headerValue(object()));
    if (q.ns === NS.soap11 && q.local === 'Fault') {
      const value = message.bodyChild.value;
      message.fault = {
        faultcode: String(value['faultcode'] ?? ''),
        faultstring: String(value['faultstring'] ?? ''),
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

/** Wraps a Body child (already serialised or as a build object) in a SOAP 1.1 envelope. */
export function wrap(bodyChild: string | BuildObject, headerXml?: string): string {
  const inner = typeof bodyChild === 'string' ? bodyChild : buildXml(bodyChild);
  const indented = inner
    .split('\n')
    .map((l) => '    ' + l)
    .join('\n');
  const header = headerXml ? `  <soapenv:Header>${headerXml}</soapenv:Header>\n` : '  <soapenv:Header/>\n';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<soapenv:Envelope xmlns:soapenv="${NS.soap11}">\n${header}  <soapenv:Body>\n${indented}\n  </soapenv:Body>\n</soapenv:Envelope>\n`;
}
