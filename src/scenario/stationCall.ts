/**
 * Direct paForNode calls to the station under test, as the Nodo would make them: the
 * harness writes the request (the usual form, other namespace prefixes, SOAPAction quoted
 * or not, deliberately broken requests), sends it over HTTP, validates both messages
 * against the XSDs and records the exchange in the journal as a Nodo → station call.
 * What came back is an answer to judge, never an exception.
 */
import { callSoap } from '../soap/index.ts';
import { unwrap, wrap } from '../soap/index.ts';
import type { Exchange, FailureKind, Journal } from '../soap/index.ts';
import { operationByName } from '../soap/index.ts';
import { buildXml, type BuildObject } from '../xml/index.ts';
import type { Issue } from '../xml/index.ts';
import { pick, type XmlObject } from '../xml/index.ts';
import { NS } from '../xml/index.ts';

/** How the request envelope is written (all are the same message to an XML processor). */
export type EnvelopeForm = 'standard' | 'alternative-prefixes' | 'declared-on-envelope';
/** How the SOAPAction header is sent. */
export type SoapActionForm = 'quoted' | 'bare';

export interface DirectCall {
  journal: Journal;
  now: () => Date;
  idStation: string;
  url: string;
  /** paForNode operation (paVerifyPaymentNotice, paGetPaymentV2, ...), or any name for an unknown Body element. */
  operation: string;
  /** The Body child's children, in schema order. */
  fields: BuildObject;
  /** Body child element name when it is not the operation's request (unknown Body element). */
  element?: string;
  form?: EnvelopeForm;
  soapAction?: SoapActionForm;
  timeoutMs: number;
  meta?: Record<string, string | number | boolean | undefined>;
  /** Why the harness sends this call (kept in the exchange notes). */
  purpose: string;
  /** Send this envelope as it is (a replayed message) instead of building one from `fields`. */
  envelope?: string;
}

/** What the station answered, classified. */
export interface StationAnswer {
  operation: string;
  /** The response element the operation expects. */
  response: string;
  exchange: Exchange;
  status?: number;
  contentType?: string;
  durationMs: number;
  timeoutMs: number;
  /** Transport or validation failure of the answer (none when a valid response element came back). */
  failure?: FailureKind;
  failureMessage?: string;
  /** The Body child received, when the answer was a SOAP message. */
  element?: string;
  /** The Body child as an object, when it was a paForNode response (valid or not). */
  body?: XmlObject;
  /** A SOAP Fault instead of a response. */
  soapFault?: { faultcode: string; faultstring: string };
  /** Schema issues of the answer. */
  issues: Issue[];
}

function childXml(element: string, prefix: string, fields: BuildObject): string {
  return buildXml({ [`${prefix}:${element}`]: { [`@_xmlns:${prefix}`]: NS.paForNode, ...fields } });
}

/** The request envelope in one of the forms a Nodo (or its gateway) may send. */
export function requestEnvelope(element: string, fields: BuildObject, form: EnvelopeForm = 'standard'): string {
  if (form === 'standard') return wrap({ [`pafn:${element}`]: { '@_xmlns:pafn': NS.paForNode, ...fields } });
  if (form === 'alternative-prefixes') {
    const child = childXml(element, 'ns2', fields).replace(/^/gm, '      ');
    return `<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV="${NS.soap11}">\n  <SOAP-ENV:Header/>\n  <SOAP-ENV:Body>\n${child}\n  </SOAP-ENV:Body>\n</SOAP-ENV:Envelope>\n`;
  }
  // The paForNode namespace declared once on the Envelope, no Header, prefixes S and pa.
  const child = buildXml({ [`pa:${element}`]: fields }).replace(/^/gm, '    ');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<S:Envelope xmlns:S="${NS.soap11}" xmlns:pa="${NS.paForNode}">\n  <S:Body>\n${child}\n  </S:Body>\n</S:Envelope>\n`;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export async function callStationDirect(c: DirectCall): Promise<StationAnswer> {
  const op = operationByName(c.operation);
  const element = c.element ?? op?.request ?? c.operation;
  const response = op?.response ?? `${c.operation}Response`;
  const envelope = c.envelope ?? requestEnvelope(element, c.fields, c.form);
  const own = unwrap(envelope);
  const requestIssues = own.ok ? own.message.issues : own.problem.issues;
  const header = c.soapAction === 'bare' ? c.operation : `"${c.operation}"`;
  const at = c.now().toISOString();
  const r = await callSoap({
    url: c.url,
    soapAction: c.operation,
    envelope,
    timeoutMs: c.timeoutMs,
    headers: { SOAPAction: header },
    ...(op ? { expectResponse: op.response } : {}),
  });

  const answer: Omit<StationAnswer, 'exchange'> = {
    operation: c.operation,
    response,
    durationMs: r.durationMs,
    timeoutMs: c.timeoutMs,
    issues: [],
    ...(r.status !== undefined ? { status: r.status } : {}),
    ...(r.contentType ? { contentType: r.contentType } : {}),
  };
  let text: string | undefined;
  if (r.ok) {
    text = r.text;
    answer.element = r.message.bodyChild.local;
    answer.body = r.message.bodyChild.value;
  } else {
    text = r.text;
    answer.failure = r.kind;
    answer.failureMessage = r.message;
    answer.issues = r.issues;
    if (r.fault) answer.soapFault = r.fault;
    if (r.text && r.kind !== 'not-xml') {
      const un = unwrap(r.text);
      if (un.ok && !un.message.fault) {
        answer.element = un.message.bodyChild.local;
        answer.body = un.message.bodyChild.value;
      }
    }
  }
  const outcome = str(answer.body?.['outcome']);
  const faultCode = str(pick(answer.body, 'fault.faultCode')) ?? (answer.soapFault ? `soap:${answer.soapFault.faultcode.replace(/^.*:/, '')}` : undefined);
  const exchange = c.journal.record({
    at,
    party: 'nodo',
    direction: 'outbound',
    from: 'nodo',
    to: `station:${c.idStation}`,
    operation: op?.name ?? c.operation,
    url: c.url,
    soapAction: header,
    ...(answer.status !== undefined ? { httpStatus: answer.status } : {}),
    request: envelope,
    ...(text !== undefined ? { response: text } : {}),
    requestIssues,
    responseIssues: answer.failure === 'schema-invalid' ? answer.issues : [],
    durationMs: r.durationMs,
    ...(outcome ? { outcome } : {}),
    ...(faultCode ? { faultCode } : {}),
    ...(answer.failure ? { failure: answer.failure } : {}),
    notes: [`direct call by the harness as the Nodo: ${c.purpose}`, ...(answer.failureMessage ? [answer.failureMessage] : [])],
    meta: { direct: true, ...(answer.contentType ? { contentType: answer.contentType } : {}), ...c.meta },
  });
  return { ...answer, exchange };
}

/** One line saying what the station answered, for mismatches. */
export function describeStationAnswer(a: StationAnswer): string {
  const ms = `in ${Math.round(a.durationMs)} ms`;
  if (a.failure === 'timeout') return `no answer within ${a.timeoutMs} ms`;
  if (a.failure === 'refused' || a.failure === 'reset') return `no answer (${a.failureMessage ?? a.failure})`;
  if (a.soapFault) return `a SOAP Fault ${a.soapFault.faultcode} (HTTP ${a.status ?? '?'}): ${a.soapFault.faultstring} ${ms}`;
  if (!a.body)
    return `HTTP ${a.status ?? '?'} (${a.contentType ?? 'no Content-Type'}) without a paForNode response${a.failureMessage ? `: ${a.failureMessage}` : ''}`;
  const head =
    a.element && a.element !== a.response
      ? `a ${a.element} instead of ${a.response}: `
      : a.failure === 'schema-invalid'
        ? 'an XSD-invalid answer: '
        : a.failure === 'http-status'
          ? `HTTP ${a.status ?? '?'} (a response needs HTTP 200): `
          : '';
  const outcome = str(a.body['outcome']) ?? '(no outcome)';
  if (outcome !== 'KO') return `${head}${outcome} ${ms}`;
  const code = str(pick(a.body, 'fault.faultCode'));
  const desc = str(pick(a.body, 'fault.description')) ?? str(pick(a.body, 'fault.faultString'));
  return `${head}KO ${code ?? '(no fault bean)'}${desc ? ` (${desc.length > 120 ? `${desc.slice(0, 119)}…` : desc})` : ''} ${ms}`;
}

/** The Body child of an answer when it is a valid response of the expected element. */
export function validResponse(a: StationAnswer): XmlObject | undefined {
  return a.body && !a.failure && a.element === a.response ? a.body : undefined;
}
