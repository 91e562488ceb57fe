/**
 * The stand-in probe (docs/aca-standin.md §4.3): one paVerifyPaymentNotice to the station with
 * idPA = the first EC associated with it, idBrokerPA = its broker, qrCode = (idPA,
 * 000000000000000000). Positive = HTTP 2xx and a body containing `SCONOSCIUTO` (the
 * expected answer is a KO PAA_PAGAMENTO_SCONOSCIUTO); anything else is negative. The
 * exchange is journaled with the verdict; a schema-invalid answer is recorded as such.
 */
import { callSoap } from '../../soap/index.ts';
import type { Journal } from '../../soap/index.ts';
import { formatIssue } from '../../xml/index.ts';
import type { Registry, Station } from '../registry.ts';
import { paRequestEnvelope } from '../stationCall.ts';

export const PROBE_NOTICE = '000000000000000000';

export interface ProbeResult {
  at: string;
  station: string;
  positive: boolean;
  /** What the station answered, in words. */
  detail: string;
  journalSeq?: number;
  /** How long the station took to answer (absent when it was not probed). */
  durationMs?: number;
  /** Why no valid answer came (callSoap's failure kind, e.g. `timeout`), when none did. */
  failure?: string;
  /** The probe's timeout. */
  timeoutMs?: number;
}

export interface ProbeDeps {
  journal: Journal;
  registry: () => Registry;
  stationUrl: (s: Station) => string;
  timeoutMs: number;
}

export async function probeStation(deps: ProbeDeps, stationCode: string, at: Date): Promise<ProbeResult> {
  const reg = deps.registry();
  const station = reg.stations.find((s) => s.stationCode === stationCode);
  const idPA = reg.associations.find((a) => a.stationCode === stationCode)?.fiscalCode;
  const when = at.toISOString();
  if (!station || !idPA)
    return {
      at: when,
      station: stationCode,
      positive: false,
      detail: `not probed: station ${stationCode} ${station ? 'has no associated EC' : 'is not in the registry'}`,
    };
  const envelope = paRequestEnvelope('paVerifyPaymentNotice', {
    idPA,
    idBrokerPA: station.brokerCode,
    idStation: stationCode,
    qrCode: { fiscalCode: idPA, noticeNumber: PROBE_NOTICE },
  });
  let url = '';
  try {
    url = deps.stationUrl(station);
  } catch (e) {
    return { at: when, station: stationCode, positive: false, detail: `not probed: no URL for station ${stationCode} (${(e as Error).message})` };
  }
  const r = await callSoap({ url, soapAction: 'paVerifyPaymentNotice', envelope, timeoutMs: deps.timeoutMs, expectResponse: 'paVerifyPaymentNoticeRes' });
  const status = r.status;
  const text = r.text ?? '';
  const positive = status !== undefined && status >= 200 && status < 300 && text.includes('SCONOSCIUTO');
  const detail = r.ok
    ? `HTTP ${status}, ${positive ? 'the answer contains SCONOSCIUTO' : 'the answer does not contain SCONOSCIUTO (a KO PAA_PAGAMENTO_SCONOSCIUTO is expected)'}`
    : `${r.kind}: ${r.message}${positive ? ' (still positive: HTTP 2xx with SCONOSCIUTO in the body)' : ''}`;
  const notes = [`stand-in probe of ${stationCode}: ${positive ? 'positive' : 'negative'} (${detail})`];
  if (!r.ok && r.issues.length && r.kind === 'schema-invalid') notes.push(`schema issues: ${r.issues.map(formatIssue).join('; ')}`);
  const rec = deps.journal.record({
    at: when,
    party: 'nodo',
    direction: 'outbound',
    from: 'nodo',
    to: `station:${stationCode}`,
    operation: 'paVerifyPaymentNotice',
    url,
    soapAction: 'paVerifyPaymentNotice',
    httpStatus: status,
    request: envelope,
    response: r.text,
    responseIssues: r.ok ? [] : r.issues,
    durationMs: r.durationMs,
    ...(r.ok ? { outcome: String(r.message.bodyChild.value['outcome'] ?? '') } : { failure: r.kind }),
    notes,
    meta: { standInProbe: true, positive, idPA, idStation: stationCode, noticeNumber: PROBE_NOTICE, fiscalCode: idPA },
  });
  return {
    at: when,
    station: stationCode,
    positive,
    detail,
    journalSeq: rec.seq,
    durationMs: r.durationMs,
    ...(r.ok ? {} : { failure: r.kind }),
    timeoutMs: deps.timeoutMs,
  };
}
