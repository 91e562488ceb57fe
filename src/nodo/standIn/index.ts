/**
 * The mock Nodo's stand-in (docs/aca-standin.md §3-4, docs/primitives.md §13): which stations are in
 * stand-in (the registry's `forceStandIn`, the control API, or the activation algorithm on
 * the clock), where verify/activate go for them (the stand-in station: gpd-payments behind
 * APIM's aca-payments API, answering from ACA), the `standin` flag of the PSP's answers,
 * the stand-in receipts, and the deactivation probe. The handlers reach it through small
 * hooks (`via`, `observe`, `markPayment`, `receiptInput`). README.md in this folder.
 */
import type { Router } from 'express';
import type { Clock } from '../../clock.ts';
import type { Journal } from '../../soap/index.ts';
import type { ReceiptInput } from '../receipts/index.ts';
import type { Channel, Registry, Station } from '../registry.ts';
import type { Route } from '../routing.ts';
import type { StationOutcome } from '../stationCall.ts';
import { activationVerdict, countedFault, deactivationVerdict, type Sample } from './activation.ts';
import { standInRouter } from './control.ts';
import type { StandInOptions } from './options.ts';
import { probeStation, type ProbeResult } from './probe.ts';
import { createCronSchedule } from './schedule.ts';

export { resolveStandInOptions, DEFAULT_STAND_IN, type StandInOptions, type StandInOptionsInput } from './options.ts';
export { PROBE_NOTICE, type ProbeResult } from './probe.ts';
export { STANDIN_CONTROL_PATH } from './control.ts';

export const SERVICE_TYPE_HEADER = 'X-Client-Service-Type';

/** Where a verify/activate goes: the EC's station, or the stand-in station on its behalf. */
export interface Via {
  standIn: boolean;
  station: Station;
  url: string;
  headers?: Record<string, string>;
}

export interface StandInEvent {
  at: string;
  station: string;
  type: 'ADDED' | 'REMOVED';
  /** algorithm (the calculation or the probes), manual (control API). */
  by: 'algorithm' | 'manual';
  reason: string;
}

export interface StandInStation {
  station: string;
  /** ISO time it entered stand-in (absent for a station forced on by the registry). */
  since?: string;
  by: 'algorithm' | 'manual' | 'registry';
}

export interface StandIn {
  /** Whether verify/activate of this station's notices are answered in stand-in now. */
  active(stationCode: string): boolean;
  via(route: Route): Via;
  /** The `standin` element of the PSP's verify/activate answer: false outside stand-in; in stand-in true if the channel has flagStandIn, else absent. */
  pspFlag(via: Via, channel: Channel): boolean | undefined;
  /** Counts one verify/activate for the activation algorithm (a station call, and the PSP's fault if counted). */
  observe(stationCode: string, pspPrimitive: string, via: Via, outcome: StationOutcome): void;
  /** A payment activated in stand-in (its receipt carries standIn). */
  markPayment(paymentToken: string): void;
  isStandInPayment(paymentToken: string): boolean;
  /** The receipt input of a closed payment as stand-in makes it (standIn true), or undefined when stand-in receipts are not sent. */
  receiptInput(input: ReceiptInput): ReceiptInput | undefined;
  stations(): StandInStation[];
  events(): StandInEvent[];
  probes(station?: string): ProbeResult[];
  /** Puts a station in stand-in by hand (an ADDED event); returns why not when it cannot. */
  add(stationCode: string, reason?: string): string | undefined;
  /** Takes a station out of stand-in by hand (the manager's DELETE /internal/stations/{station}). */
  remove(stationCode: string, reason?: string): string | undefined;
  /** One probe now, without effect on stand-in (the manager's GET /internal/stations/{station}). */
  probe(stationCode: string): Promise<ProbeResult>;
  whenIdle(): Promise<void>;
  reset(): void;
  close(): void;
  options: StandInOptions;
  router: Router;
}

export interface CreateStandInOptions {
  journal: Journal;
  clock: Clock;
  registry: () => Registry;
  stationUrl: (s: Station) => string;
  /** URL of the stand-in station (default `<baseUrl>/gpd/paForNode`). */
  archiveUrl: () => string;
  options: StandInOptions;
  onBug: (m: string) => void;
}

const FAULT_PRIMITIVES = new Set(['verifyPaymentNotice', 'activatePaymentNotice', 'activatePaymentNoticeV2']);
const MAX_KEPT = 5000;

export function createStandIn(d: CreateStandInOptions): StandIn {
  const o = d.options;
  const list = new Map<string, { since: number; by: 'algorithm' | 'manual' }>();
  let calls: { at: number; station: string; fault: boolean }[] = [];
  let samples: Sample[] = [];
  let events: StandInEvent[] = [];
  let probes: ProbeResult[] = [];
  const payments = new Set<string>();
  const now = () => d.clock.now().getTime();

  const stationOf = (code: string) => d.registry().stations.find((s) => s.stationCode === code);
  const monitored = (s: Station) =>
    s.enabled && s.endpoint !== 'gpd' && s.forceStandIn === undefined && (o.stationFlag === 'receipt' || s.flagStandIn === true);

  function active(code: string): boolean {
    const forced = stationOf(code)?.forceStandIn;
    return forced ?? list.has(code);
  }

  function enter(code: string, at: number, by: 'algorithm' | 'manual', reason: string): void {
    list.set(code, { since: at, by });
    events.push({ at: new Date(at).toISOString(), station: code, type: 'ADDED', by, reason });
  }

  function leave(code: string, at: number, by: 'algorithm' | 'manual', reason: string): void {
    list.delete(code);
    events.push({ at: new Date(at).toISOString(), station: code, type: 'REMOVED', by, reason });
  }

  const trim = <T>(xs: T[]): T[] => (xs.length > MAX_KEPT ? xs.slice(xs.length - MAX_KEPT) : xs);

  // ---- the manager's four jobs
  function monitor(at: Date): void {
    const t = at.getTime();
    calls = calls.filter((c) => c.at > t - o.rangeMs - o.slotMs);
    // The slot before the monitor's instant, [t - slot, t): a call at exactly :00 belongs to the slot it opens.
    const slot = calls.filter((c) => c.at >= t - o.slotMs && c.at < t);
    if (slot.length === 0) return;
    const nodoTotal = slot.length;
    for (const code of [...new Set(slot.map((c) => c.station))].sort()) {
      const st = stationOf(code);
      if (!st || !monitored(st) || list.has(code)) continue;
      const mine = slot.filter((c) => c.station === code);
      samples.push({ at: t, station: code, total: mine.length, faults: mine.filter((c) => c.fault).length, nodoTotal });
    }
    samples = samples.filter((s) => s.at > t - o.rangeMs);
  }

  function calculate(at: Date): void {
    const t = at.getTime();
    for (const code of [...new Set(samples.map((s) => s.station))].sort()) {
      const st = stationOf(code);
      if (!st || !monitored(st) || list.has(code)) continue;
      const v = activationVerdict(code, samples, t, o);
      if (v.add) {
        enter(code, t, 'algorithm', v.reason);
        samples = samples.filter((s) => s.station !== code);
      }
    }
  }

  async function probeAll(at: Date): Promise<void> {
    for (const code of [...list.keys()].sort()) {
      if (stationOf(code)?.forceStandIn !== undefined) continue;
      probes = trim([
        ...probes,
        await probeStation({ journal: d.journal, registry: d.registry, stationUrl: d.stationUrl, timeoutMs: o.probeTimeoutMs }, code, at),
      ]);
    }
  }

  function removeRecovered(at: Date): void {
    const t = at.getTime();
    for (const [code, entry] of [...list.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (stationOf(code)?.forceStandIn !== undefined) continue;
      const v = deactivationVerdict(
        entry.since,
        probes.filter((p) => p.station === code).map((p) => ({ at: Date.parse(p.at), positive: p.positive })),
        t,
        o,
      );
      if (v.remove) leave(code, t, 'algorithm', v.reason);
    }
  }

  const schedule = o.automatic
    ? createCronSchedule(
        d.clock,
        o.slotMs,
        [
          { offsetMs: 0, run: monitor },
          { offsetMs: Math.round(o.slotMs * 0.05), run: probeAll },
          { offsetMs: Math.round(o.slotMs * 0.1), run: calculate },
          { offsetMs: Math.round(o.slotMs * 0.15), run: removeRecovered },
        ],
        (e) => d.onBug(`stand-in job failed: ${(e as Error).message}`),
      )
    : undefined;

  const api: StandIn = {
    active,
    via(route) {
      if (!active(route.station.stationCode)) return { standIn: false, station: route.station, url: d.stationUrl(route.station) };
      const archive: Station = { ...route.station, stationCode: o.archiveStationCode, endpoint: d.archiveUrl(), forceStandIn: undefined };
      return { standIn: true, station: archive, url: d.archiveUrl(), headers: { [SERVICE_TYPE_HEADER]: 'ACA' } };
    },
    pspFlag: (via, channel) => (via.standIn ? (channel.flagStandIn ? true : undefined) : false),
    observe(code, pspPrimitive, via, r) {
      if (via.standIn) return;
      calls.push({ at: now(), station: code, fault: r.kind === 'failed' && FAULT_PRIMITIVES.has(pspPrimitive) && countedFault(r.code, o) });
    },
    markPayment: (t) => void payments.add(t),
    isStandInPayment: (t) => payments.has(t),
    receiptInput(input) {
      if (!payments.has(input.paymentToken)) return input;
      if (!o.sendReceipts) {
        d.journal.record({
          at: d.clock.now().toISOString(),
          party: 'nodo',
          direction: 'outbound',
          from: 'nodo',
          to: `station:${input.servedBy.idStation}`,
          operation: input.servedBy.primitiveVersion === 2 ? 'paSendRTV2' : 'paSendRT',
          request: '',
          durationMs: 0,
          notes: [`stand-in receipt of ${input.paymentToken} not sent: the Nodo's invioReceiptStandin is off (standIn.sendReceipts false)`],
          meta: {
            paymentToken: input.paymentToken,
            noticeNumber: input.qrCode.noticeNumber,
            idPA: input.servedBy.idPA,
            idStation: input.servedBy.idStation,
            attempt: 0,
            skipped: true,
            standIn: true,
          },
        });
        return undefined;
      }
      return { ...input, standIn: true };
    },
    stations() {
      const out: StandInStation[] = [...list.entries()]
        .filter(([code]) => stationOf(code)?.forceStandIn === undefined)
        .map(([station, e]) => ({ station, since: new Date(e.since).toISOString(), by: e.by }));
      for (const s of d.registry().stations) if (s.forceStandIn === true) out.push({ station: s.stationCode, by: 'registry' });
      return out.sort((a, b) => (a.station < b.station ? -1 : 1));
    },
    events: () => events.map((e) => ({ ...e })),
    probes: (station) => probes.filter((p) => !station || p.station === station).map((p) => ({ ...p })),
    add(code, reason = 'added by hand (control API)') {
      const st = stationOf(code);
      if (!st) return `Failed to put station ${code} in stand-in: it is not in the registry. Use a stationCode of the registry.`;
      if (st.forceStandIn !== undefined)
        return `Failed to put station ${code} in stand-in: the registry forces it ${st.forceStandIn ? 'on' : 'off'} (forceStandIn). Change the registry instead.`;
      if (o.stationFlag === 'authorisation' && !st.flagStandIn)
        return `Failed to put station ${code} in stand-in: it has no flagStandIn and standIn.stationFlag is 'authorisation'. Set flagStandIn: true on the station.`;
      if (list.has(code)) return undefined;
      enter(code, now(), 'manual', reason);
      return undefined;
    },
    remove(code, reason = 'removed by hand (control API)') {
      if (!list.has(code))
        return stationOf(code)?.forceStandIn
          ? `Failed to take station ${code} out of stand-in: the registry forces it on (forceStandIn). Change the registry instead.`
          : `Failed to take station ${code} out of stand-in: it is not in stand-in. List them with GET /_control/nodo/standin.`;
      leave(code, now(), 'manual', reason);
      return undefined;
    },
    probe: (code) => probeStation({ journal: d.journal, registry: d.registry, stationUrl: d.stationUrl, timeoutMs: o.probeTimeoutMs }, code, d.clock.now()),
    whenIdle: async () => {
      await schedule?.whenIdle();
    },
    reset() {
      list.clear();
      calls = [];
      samples = [];
      events = [];
      probes = [];
      payments.clear();
    },
    close() {
      schedule?.close();
      api.reset();
    },
    options: o,
    router: undefined as unknown as Router,
  };
  api.router = standInRouter(api);
  return api;
}
