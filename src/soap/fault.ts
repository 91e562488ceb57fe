/**
 * SOAP 1.1 Faults (transport/unmarshalling failures only) and pagoPA fault beans
 * (applicative errors, carried in normal responses with outcome KO).
 */
import { truncateText, xmlText as esc } from '../xml/index.ts';
import { NS } from '../xml/index.ts';

export type SoapFaultCode = 'Client' | 'Server' | 'VersionMismatch';

/** A SOAP 1.1 Fault envelope (sent with HTTP 500). The faultstring says what was wrong, never a stack. */
export function soapFaultEnvelope(code: SoapFaultCode, faultstring: string, detail?: string): string {
  const det = detail ? `\n      <detail><harness:problem xmlns:harness="urn:pagopa-station-harness">${esc(detail)}</harness:problem></detail>` : '';
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<soapenv:Envelope xmlns:soapenv="${NS.soap11}">\n  <soapenv:Body>\n    <soapenv:Fault>\n` +
    `      <faultcode>soapenv:${code}</faultcode>\n      <faultstring>${esc(faultstring)}</faultstring>${det}\n    </soapenv:Fault>\n  </soapenv:Body>\n</soapenv:Envelope>\n`
  );
}

/** The pagoPA fault bean (ctFaultBean), fields in schema order. */
export interface FaultBean {
  faultCode: string;
  faultString: string;
  id: string;
  description?: string;
  serial?: number;
  originalFaultCode?: string;
  originalFaultString?: string;
  originalDescription?: string;
}

/** The one fault-bean builder: fields in schema order, free texts clipped to a readable length. */
export function faultBeanObject(f: FaultBean): Record<string, string | number | undefined> {
  return {
    faultCode: f.faultCode,
    faultString: f.faultString,
    id: f.id,
    description: f.description === undefined ? undefined : clip(f.description),
    serial: f.serial,
    originalFaultCode: f.originalFaultCode,
    originalFaultString: f.originalFaultString,
    originalDescription: f.originalDescription === undefined ? undefined : clip(f.originalDescription),
  };
}

/** Reads a fault bean from a parsed response object (`{ outcome, fault }`). */
export function readFaultBean(v: unknown): FaultBean | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const f = v as Record<string, unknown>;
  const s = (k: string) => (typeof f[k] === 'string' ? (f[k] as string) : undefined);
  return {
    faultCode: s('faultCode') ?? '',
    faultString: s('faultString') ?? '',
    id: s('id') ?? '',
    ...(s('description') !== undefined ? { description: s('description') } : {}),
    ...(s('serial') !== undefined ? { serial: Number(s('serial')) } : {}),
    ...(s('originalFaultCode') !== undefined ? { originalFaultCode: s('originalFaultCode') } : {}),
    ...(s('originalFaultString') !== undefined ? { originalFaultString: s('originalFaultString') } : {}),
    ...(s('originalDescription') !== undefined ? { originalDescription: s('originalDescription') } : {}),
  };
}

/** Description text truncated to a sane length for fault beans (no schema limit, but keep it readable); never cuts a character in two. */
export function clip(s: string, max = 1000): string {
  return s.length > max ? `${truncateText(s, max - 1)}…` : s;
}
