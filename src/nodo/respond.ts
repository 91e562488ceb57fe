/**
 * Building nodeForPsp answers and the checks every PSP primitive starts with, in the
 * Nodo's order (docs/primitives.md §8.1): syntax (PPT_SINTASSI_EXTRAXSD as a KO response,
 * not a SOAP Fault), then caller configuration.
 */
import type { HandlerResult, SoapRequestContext } from '../soap/index.ts';
import { faultBeanObject, type FaultBean } from '../soap/index.ts';
import type { SoapProblem, SoapProblemReason } from '../soap/index.ts';
import { PREFIX, type OperationDef } from '../soap/index.ts';
import type { BuildObject } from '../xml/index.ts';
import { formatIssue } from '../xml/index.ts';
import type { XmlObject } from '../xml/index.ts';
import { NS } from '../xml/index.ts';
import { checkCaller, readCaller, type CallerResult } from './callerCheck.ts';
import type { NodoContext } from './context.ts';
import { nodoFault, type PptCode } from './faults.ts';

export type Meta = Record<string, string | number | boolean | undefined>;

/** A nodeForPsp response element with its fields in schema order. */
export function pspResponse(responseElement: string, fields: BuildObject): BuildObject {
  return { [`${PREFIX.nodeForPsp}:${responseElement}`]: { [`@_xmlns:${PREFIX.nodeForPsp}`]: NS.nodeForPsp, ...fields } };
}

/**
 * The KO answer of any nodeForPsp operation: `outcome` KO + fault for the nodeForPsp.xsd ones;
 * for the nodoPerPsp.xsd ones (ppt namespace, `risposta` type) the fault, plus `esito` KO where
 * the response requires it.
 */
export function koBody(op: OperationDef, fault: FaultBean): BuildObject {
  if (op.ns === NS.ppt) {
    const esito = op.response === 'nodoInviaFlussoRendicontazioneRisposta' ? { esito: 'KO' } : {};
    return { [`${PREFIX.nodeForPa}:${op.response}`]: { [`@_xmlns:${PREFIX.nodeForPa}`]: NS.ppt, fault: faultBeanObject(fault), ...esito } };
  }
  return pspResponse(op.response, { outcome: 'KO', fault: faultBeanObject(fault) });
}

export function koResult(req: SoapRequestContext, fault: FaultBean, notes: string[], meta: Meta): HandlerResult {
  return { kind: 'response', body: koBody(req.operation, fault), notes: [...notes, `PSP gets ${fault.faultCode}`], meta };
}

export function nodoKo(req: SoapRequestContext, code: PptCode, why: string, meta: Meta, serial?: number): HandlerResult {
  return koResult(req, nodoFault(code, why, serial), [why], meta);
}

/** Envelope problems the real Nodo answers with a KO of the operation SOAPAction names (not a SOAP Fault). */
const KO_ENVELOPE_PROBLEMS: ReadonlySet<SoapProblemReason> = new Set(['no-body', 'empty-body', 'envelope-namespace']);

/**
 * A request whose SOAP Body is missing or empty, or whose Envelope is in another namespace:
 * HTTP 200 with the KO response of the SOAPAction's operation, faultCode PPT_SINTASSI_EXTRAXSD
 * (what the real Nodo answers; issue 14). Other envelope problems stay SOAP Faults.
 */
export function envelopeKo(problem: SoapProblem, operation: OperationDef): HandlerResult | undefined {
  if (!KO_ENVELOPE_PROBLEMS.has(problem.reason)) return undefined;
  const why = `${problem.message} (SOAPAction ${operation.name})`;
  const fault = nodoFault('PPT_SINTASSI_EXTRAXSD', why);
  return { kind: 'response', body: koBody(operation, fault), notes: [why, `PSP gets ${fault.faultCode}`] };
}

/** The systemError answer for the endpoint (our own bug). */
export function systemError(req: SoapRequestContext, why: string): BuildObject {
  return koBody(req.operation, nodoFault('PPT_SYSTEM_ERROR', why));
}

export type Precheck = { ok: true; value: XmlObject; caller: Extract<CallerResult, { ok: true }>; meta: Meta } | { ok: false; result: HandlerResult };

/** Syntax then caller checks. `meta` gets the ids every exchange carries. */
export function precheck(ctx: NodoContext, req: SoapRequestContext, meta: Meta): Precheck {
  const value = req.message.bodyChild.value;
  const issues = req.message.issues;
  if (issues.length) {
    const first = issues[0]!;
    const why = `${req.operation.request} is not valid against nodeForPsp.xsd: ${first.path} (line ${first.line}:${first.col}): ${first.message}`;
    const notes = issues.map((i) => `XSD ${formatIssue(i)}`);
    return { ok: false, result: koResult(req, nodoFault('PPT_SINTASSI_EXTRAXSD', why), [why, ...notes.slice(1)], meta) };
  }
  const caller = checkCaller(ctx.registry(), readCaller(value));
  if (!caller.ok) return { ok: false, result: nodoKo(req, caller.code, caller.why, meta) };
  return { ok: true, value, caller, meta };
}

export const s = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
