/**
 * Switches and thresholds of the Nodo's stand-in (docs/aca-standin.md §3-4). Production values
 * of pagopa-stand-in-manager are the defaults; where the code and pagoPA's documentation
 * differ, or the reference says a behaviour is inferred, both readings are here.
 */
import { ERR, HarnessError } from '../../errors.ts';
import { parseDuration } from '../../clock.ts';

export interface StandInOptions {
  /** Run the activation/deactivation algorithm on the clock (default true). Registry `forceStandIn` and the control API work either way. */
  automatic: boolean;
  /** URL of the stand-in station (gpd-payments behind APIM's aca-payments API); default `<baseUrl>/gpd/paForNode`, called with `X-Client-Service-Type: ACA`. */
  archiveUrl?: string;
  /** Station code the journal shows for the stand-in station (config `station.stand-in`; default `aca-payments`). */
  archiveStationCode: string;
  /**
   * Traffic condition of activation (§4.2): 'code' (default, [SIM] StationCalcService) = the share of
   * high-traffic 5-minute slots exceeds the traffic threshold; 'sanp' ([SANP-STANDIN]) = the station's
   * traffic over the 30 minutes exceeds that share of the Nodo's, and its availability is under 50 %.
   */
  activation: 'code' | 'sanp';
  /**
   * Count PPT_STAZIONE_INT_PA_SERVIZIO_NONATTIVO as a failure (§4.2). Default false: the manager's filter
   * spells it …SERVIZIO_NON_ATTIVO, which the Nodo's code never matches (inferred); true = SANP's list.
   */
  countServizioNonAttivo: boolean;
  /**
   * Deactivation rule (§4.3): 'code' (default) = more than `positiveProbes` positive probes in the last
   * `probeWindow`; 'sanp' = at least 50 % of the probes in that window positive. Both also need more than
   * `minDuration` in stand-in.
   */
  deactivation: 'code' | 'sanp';
  /**
   * Meaning of the station's `flagStandIn` (§3.4, ambiguous): 'receipt' (default, the Nodo's tests) = it only
   * sets `standIn` true in the stand-in receipts it receives; 'authorisation' (api-config's text) = only
   * stations with the flag are monitored and put in stand-in.
   */
  stationFlag: 'receipt' | 'authorisation';
  /** Nodo config `invioReceiptStandin`: stand-in receipts are sent (default true; production value unknown, §7 question 3). */
  sendReceipts: boolean;
  /** Slot of the monitor (5 min), window of activation (30 min). */
  slotMs: number;
  rangeMs: number;
  /** A slot fails when faults/total exceeds this (0.5); stand-in starts when failed slots/slots exceed `rangeFaultThreshold` (0.5). */
  slotFaultThreshold: number;
  rangeFaultThreshold: number;
  /** Traffic share of the Nodo total: by day (06:00-22:00 Europe/Rome) 0.05, by night 0.10. */
  trafficDay: number;
  trafficNight: number;
  /** Least time in stand-in before removal (60 min) and the probe window (60 min). */
  minDurationMs: number;
  probeWindowMs: number;
  /** More than this many positive probes in the window end stand-in ('code' rule; default 6). */
  positiveProbes: number;
  /** Timeout of one probe (the forwarder's `10`, unit unknown: 10 s). */
  probeTimeoutMs: number;
}

export type StandInOptionsInput = Partial<Omit<StandInOptions, 'slotMs' | 'rangeMs' | 'minDurationMs' | 'probeWindowMs' | 'probeTimeoutMs'>> & {
  slot?: number | string;
  range?: number | string;
  minDuration?: number | string;
  probeWindow?: number | string;
  probeTimeout?: number | string;
};

export const DEFAULT_STAND_IN: StandInOptions = {
  automatic: true,
  archiveStationCode: 'aca-payments',
  activation: 'code',
  countServizioNonAttivo: false,
  deactivation: 'code',
  stationFlag: 'receipt',
  sendReceipts: true,
  slotMs: 300_000,
  rangeMs: 1_800_000,
  slotFaultThreshold: 0.5,
  rangeFaultThreshold: 0.5,
  trafficDay: 0.05,
  trafficNight: 0.1,
  minDurationMs: 3_600_000,
  probeWindowMs: 3_600_000,
  positiveProbes: 6,
  probeTimeoutMs: 10_000,
};

/** Defaults filled in; a bad value is a HarnessError (ERR_CONFIG) saying which. */
export function resolveStandInOptions(o: StandInOptionsInput = {}): StandInOptions {
  const fail = (why: string): never => {
    throw new HarnessError(ERR.CONFIG, `Failed to configure the Nodo's stand-in: ${why}. Fix the standIn options of the Nodo (src/nodo/standIn/README.md).`);
  };
  const dur = (v: number | string | undefined, name: string, dflt: number) => {
    if (v === undefined) return dflt;
    let ms = 0;
    try {
      ms = parseDuration(v);
    } catch (e) {
      fail(`${name}: ${(e as Error).message}`);
    }
    return ms > 0 ? ms : fail(`${name} must be greater than 0, got ${v}`);
  };
  const pick = <K extends keyof StandInOptions>(k: K, allowed?: readonly StandInOptions[K][]): StandInOptions[K] => {
    const v = (o as Partial<StandInOptions>)[k];
    if (v === undefined) return DEFAULT_STAND_IN[k];
    if (allowed && !allowed.includes(v)) fail(`${k} must be one of ${allowed.map((a) => `'${String(a)}'`).join(', ')}, got '${String(v)}'`);
    return v;
  };
  const slotMs = dur(o.slot, 'slot', DEFAULT_STAND_IN.slotMs);
  const rangeMs = dur(o.range, 'range', DEFAULT_STAND_IN.rangeMs);
  if (rangeMs % slotMs !== 0) fail(`range (${rangeMs} ms) must be a whole number of slots (${slotMs} ms)`);
  const out: StandInOptions = {
    automatic: pick('automatic', [true, false]),
    ...(o.archiveUrl !== undefined ? { archiveUrl: o.archiveUrl } : {}),
    archiveStationCode: pick('archiveStationCode'),
    activation: pick('activation', ['code', 'sanp']),
    countServizioNonAttivo: pick('countServizioNonAttivo', [true, false]),
    deactivation: pick('deactivation', ['code', 'sanp']),
    stationFlag: pick('stationFlag', ['receipt', 'authorisation']),
    sendReceipts: pick('sendReceipts', [true, false]),
    slotMs,
    rangeMs,
    slotFaultThreshold: pick('slotFaultThreshold'),
    rangeFaultThreshold: pick('rangeFaultThreshold'),
    trafficDay: pick('trafficDay'),
    trafficNight: pick('trafficNight'),
    minDurationMs: dur(o.minDuration, 'minDuration', DEFAULT_STAND_IN.minDurationMs),
    probeWindowMs: dur(o.probeWindow, 'probeWindow', DEFAULT_STAND_IN.probeWindowMs),
    positiveProbes: pick('positiveProbes'),
    probeTimeoutMs: dur(o.probeTimeout, 'probeTimeout', DEFAULT_STAND_IN.probeTimeoutMs),
  };
  for (const k of ['slotFaultThreshold', 'rangeFaultThreshold', 'trafficDay', 'trafficNight'] as const)
    if (!(out[k] >= 0 && out[k] <= 1)) fail(`${k} must be a share from 0 to 1, got ${out[k]}`);
  if (!(Number.isInteger(out.positiveProbes) && out.positiveProbes >= 0)) fail(`positiveProbes must be an integer >= 0, got ${out.positiveProbes}`);
  return out;
}
