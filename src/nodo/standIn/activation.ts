/**
 * Stand-in activation as pagopa-stand-in-manager computes it (docs/aca-standin.md §4.2):
 * the Nodo's station calls and the faults the PSPs got are counted; every slot (5 min)
 * the monitor takes one sample per station; the calculation looks at the last window
 * (30 min = 6 slots, last sample per slot): a slot fails when faults/total exceeds 50 %,
 * has high traffic when the station's calls exceed 5 % (day) or 10 % (night, Europe/Rome)
 * of the Nodo's; stand-in starts when more than half of the slots failed and (code
 * reading) the share of high-traffic slots exceeds the traffic threshold, or (SANP
 * reading) the window's traffic share does.
 */
import type { StandInOptions } from './options.ts';

/** One monitor sample of one station. */
export interface Sample {
  at: number;
  station: string;
  /** paVerifyPaymentNotice / paGetPayment[V2] calls the Nodo made to the station in the slot. */
  total: number;
  /** PSP answers to verify/activate with a counted fault code, for notices of the station. */
  faults: number;
  /** The same calls to every station. */
  nodoTotal: number;
}

export interface Verdict {
  add: boolean;
  /** Why, in words (slots failed, traffic), for the event log. */
  reason: string;
}

const PPT_COUNTED = ['PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE', 'PPT_STAZIONE_INT_PA_TIMEOUT'];

/** The PSP fault codes that count as a station failure. */
export function countedFault(code: string, o: Pick<StandInOptions, 'countServizioNonAttivo'>): boolean {
  return PPT_COUNTED.includes(code) || (o.countServizioNonAttivo && code === 'PPT_STAZIONE_INT_PA_SERVIZIO_NONATTIVO');
}

const romeHour = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Rome', hour: 'numeric', hourCycle: 'h23' });

/** Night is after 22:00 or before 06:00, Europe/Rome. */
export function isNight(at: number): boolean {
  const h = Number(romeHour.format(new Date(at)));
  return h >= 22 || h < 6;
}

export const trafficThreshold = (at: number, o: Pick<StandInOptions, 'trafficDay' | 'trafficNight'>) => (isNight(at) ? o.trafficNight : o.trafficDay);

/** The activation verdict for one station's samples at `now` (samples of other stations are ignored). */
export function activationVerdict(station: string, samples: readonly Sample[], now: number, o: StandInOptions): Verdict {
  const start = now - o.rangeMs;
  const slots = o.rangeMs / o.slotMs;
  const bySlot = new Map<number, Sample>();
  for (const s of samples) {
    if (s.station !== station || s.at <= start || s.at > now) continue;
    const k = Math.min(slots - 1, Math.floor((s.at - start) / o.slotMs));
    const prev = bySlot.get(k);
    if (!prev || prev.at <= s.at) bySlot.set(k, s);
  }
  const chosen = [...bySlot.values()];
  const threshold = trafficThreshold(now, o);
  const failed = chosen.filter((s) => s.total > 0 && s.faults / s.total > o.slotFaultThreshold).length;
  const high = chosen.filter((s) => s.nodoTotal > 0 && s.total / s.nodoTotal > threshold).length;
  const when = isNight(now) ? 'night' : 'day';
  if (o.activation === 'code') {
    const add = failed / slots > o.rangeFaultThreshold && high / slots > threshold;
    return {
      add,
      reason: `${failed} of ${slots} slots failed (more than ${o.rangeFaultThreshold * 100} % needed), ${high} of ${slots} slots with high traffic (share more than ${threshold * 100} % needed, ${when})`,
    };
  }
  const total = chosen.reduce((n, s) => n + s.total, 0);
  const faults = chosen.reduce((n, s) => n + s.faults, 0);
  const nodo = chosen.reduce((n, s) => n + s.nodoTotal, 0);
  const unavailable = total > 0 ? faults / total : 0;
  const share = nodo > 0 ? total / nodo : 0;
  const add = unavailable > o.rangeFaultThreshold && share > threshold;
  return {
    add,
    reason: `availability ${Math.round((1 - unavailable) * 100)} % over ${o.rangeMs / 60000} min (under ${100 - o.rangeFaultThreshold * 100} % needed), traffic ${Math.round(share * 100)} % of the Nodo's (more than ${threshold * 100} % needed, ${when})`,
  };
}

/** Deactivation (§4.3): more than `minDuration` in stand-in and enough positive probes in the window. */
export function deactivationVerdict(
  since: number,
  probes: readonly { at: number; positive: boolean }[],
  now: number,
  o: StandInOptions,
): { remove: boolean; reason: string } {
  const inWindow = probes.filter((p) => p.at > now - o.probeWindowMs && p.at <= now);
  const positive = inWindow.filter((p) => p.positive).length;
  const long = now - since > o.minDurationMs;
  const enough = o.deactivation === 'code' ? positive > o.positiveProbes : inWindow.length > 0 && positive / inWindow.length >= 0.5;
  const rule = o.deactivation === 'code' ? `more than ${o.positiveProbes} needed` : 'at least 50 % needed';
  return {
    remove: long && enough,
    reason: `in stand-in for ${Math.floor((now - since) / 60000)} min (more than ${o.minDurationMs / 60000} needed), ${positive} of ${inWindow.length} probes positive in the last ${o.probeWindowMs / 60000} min (${rule})`,
  };
}
