/**
 * One call from the Nodo to an EC station (paForNode), with the exact mapping of what
 * can go wrong to the PPT code the PSP gets (docs/primitives.md §8.1, §12):
 * refused/reset → IRRAGGIUNGIBILE, timeout → TIMEOUT, anything invalid (HTTP status,
 * not XML, SOAP Fault, XSD, semantic rule) → ERRORE_RESPONSE, a valid KO →
 * PPT_ERRORE_EMESSO_DA_PAA. The outbound exchange is journaled with the why.
 */
import { callSoap } from '../soap/index.ts';
import { unwrap, wrap } from '../soap/index.ts';
import { findingNote, type ExchangeFinding, type FailureKind, type Journal, type NewExchange } from '../soap/index.ts';
import { readFaultBean, type FaultBean } from '../soap/index.ts';
import { operationByName, PREFIX } from '../soap/index.ts';
import type { BuildObject } from '../xml/index.ts';
import { formatIssue } from '../xml/index.ts';
import type { XmlObject } from '../xml/index.ts';
import { NS } from '../xml/index.ts';
import type { PptCode } from './faults.ts';
import type { Station } from './registry.ts';
import { codeFor, type SemanticFinding } from './semantic.ts';

export type StationOutcome =
  | { kind: 'ok'; value: XmlObject; notes: string[] }
  | { kind: 'ko'; value: XmlObject; fault: FaultBean; notes: string[] }
  | { kind: 'failed'; code: PptCode; why: string; notes: string[] };

export interface StationCallInput {
  journal: Journal;
  now: () => Date;
  station: Station;
  url: string;
  /** paForNode operation name, e.g. paGetPaymentV2. */
  operation: string;
  /** Children of the request element, in schema order. */
  fields: BuildObject;
  timeoutMs: number;
  meta: Record<string, string | number | boolean | undefined>;
  /** Semantic rules for the (XSD-valid) answer. */
  check(value: XmlObject): SemanticFinding[];
  /** Extra HTTP headers (the stand-in station's X-Client-Service-Type). */
  headers?: Record<string, string>;
}

const TRANSPORT_CODE: Record<FailureKind, PptCode> = {
  refused: 'PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE',
  reset: 'PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE',
  timeout: 'PPT_STAZIONE_INT_PA_TIMEOUT',
  // The station did answer (garbage status line, header flood, answer cut off, too large): a bad response.
  'bad-http': 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE',
  'too-large': 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE',
  'http-status': 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE',
  'not-xml': 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE',
  'soap-fault': 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE',
  'schema-invalid': 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE',
};

/** The SOAP envelope of a paForNode request. */
export function paRequestEnvelope(operation: string, fields: BuildObject): string {
  const op = operationByName(operation)!;
  return wrap({ [`${PREFIX.paForNode}:${op.request}`]: { [`@_xmlns:${PREFIX.paForNode}`]: NS.paForNode, ...fields } });
}

export async function callStation(input: StationCallInput): Promise<StationOutcome> {
  const op = operationByName(input.operation)!;
  const envelope = paRequestEnvelope(input.operation, input.fields);
  const at = input.now().toISOString();
  const to = `station:${input.station.stationCode}`;
  const base = {
    at,
    party: 'nodo',
    direction: 'outbound' as const,
    from: 'nodo',
    to,
    operation: op.name,
    url: input.url,
    soapAction: op.name,
    request: envelope,
    meta: input.meta,
  };

  const own = unwrap(envelope, { read: false });
  const ownIssues = own.ok ? own.message.issues : own.problem.issues;
  if (ownIssues.length) {
    const why = `BUG: the Nodo's own ${op.request} is not XSD-valid, not sent: ${ownIssues.map(formatIssue).join('; ')}`;
    input.journal.record({ ...base, requestIssues: ownIssues, durationMs: 0, notes: [why, 'PSP gets PPT_SYSTEM_ERROR'] });
    return { kind: 'failed', code: 'PPT_SYSTEM_ERROR', why, notes: [why] };
  }

  const r = await callSoap({
    url: input.url,
    soapAction: op.name,
    envelope,
    timeoutMs: input.timeoutMs,
    expectResponse: op.response,
    ...(input.headers ? { headers: input.headers } : {}),
  });
  if (!r.ok) {
    const code = TRANSPORT_CODE[r.kind];
    const detail = r.issues.length && r.kind === 'schema-invalid' ? ` [${r.issues.map(formatIssue).join('; ')}]` : '';
    const why = `station ${input.station.stationCode} ${op.name} failed (${r.kind}): ${r.message}${detail}`;
    const notes = [why, `PSP gets ${code}`];
    input.journal.record({
      ...base,
      httpStatus: r.status,
      response: r.text,
      responseIssues: r.issues,
      durationMs: r.durationMs,
      failure: r.kind,
      ...(r.fault ? { faultCode: r.fault.faultcode } : {}),
      notes,
    });
    return { kind: 'failed', code, why, notes };
  }

  const value = r.message.bodyChild.value;
  const outcome = typeof value['outcome'] === 'string' ? (value['outcome'] as string) : undefined;
  const fault = readFaultBean(value['fault']);
  const findings = input.check(value);
  const code = codeFor(findings);
  // Warnings are typed findings of the station call (collected by the scenario engine), and lines of its notes for people.
  const found: ExchangeFinding[] = [
    ...r.warnings,
    ...findings.filter((f) => f.severity === 'warning').map((f) => ({ code: f.rule, severity: 'warning' as const, message: f.message })),
  ];
  const warnings = found.map(findingNote);
  const record = (notes: string[], meta?: Record<string, string>) => {
    const e: NewExchange = {
      at,
      party: 'nodo',
      direction: 'outbound',
      from: 'nodo',
      to,
      operation: op.name,
      url: input.url,
      soapAction: op.name,
      request: envelope,
      meta: meta ? { ...input.meta, ...meta } : input.meta,
      httpStatus: r.status,
      response: r.text,
      durationMs: r.durationMs,
      notes,
    };
    if (outcome) e.outcome = outcome;
    if (fault?.faultCode) e.faultCode = fault.faultCode;
    if (found.length) e.findings = found;
    input.journal.record(e);
  };
  if (code) {
    const broken = findings.filter((f) => f.severity === 'error');
    const why = `station ${input.station.stationCode} ${op.response} refused by semantic rule ${broken.map((f) => `${f.rule}: ${f.message}`).join('; ')}`;
    const notes = [why, ...warnings, `PSP gets ${code}`];
    // The rule ids, for whoever explains the refusal (the station suite: rules fed by the registry).
    record(notes, { refusedBy: broken.map((f) => f.rule).join(',') });
    return { kind: 'failed', code, why, notes };
  }
  if (outcome === 'KO' && fault) {
    const notes = [
      `station ${input.station.stationCode} answered KO ${fault.faultCode}: relayed as PPT_ERRORE_EMESSO_DA_PAA`,
      ...warnings,
      'PSP gets PPT_ERRORE_EMESSO_DA_PAA',
    ];
    record(notes);
    return { kind: 'ko', value, fault, notes };
  }
  record(warnings);
  return { kind: 'ok', value, notes: warnings };
}
