/**
 * Which scenarios can run against the user's own stations (--station, --profile), and why the others
 * are skipped: fault injection on their station, or SEND's price API without --send-port.
 */
import { defaultEc, injectedStations, type Scenario } from './model.ts';
import type { SendGateway } from './sendGateway.ts';
import { routeNotice } from '../nodo/index.ts';

const PRICE_STEPS = new Set(['expectPriceCalls', 'sendPriceInjection']);
const literal = (v: unknown): string | undefined => (typeof v === 'string' && !v.includes('${') ? v : undefined);

/**
 * Stations under test that a scenario expects to call SEND's price API: it has a price step
 * (expectPriceCalls, sendPriceInjection) and one of its notices routes to a target station.
 */
export function priceCallers(s: Scenario, targets: Record<string, string>): string[] {
  if (!s.steps.some((st) => PRICE_STEPS.has(st.kind))) return [];
  const ec = defaultEc(s.setup);
  const notices: Array<[string, string]> = [];
  if (s.setup.notice?.noticeNumber) notices.push([ec, s.setup.notice.noticeNumber]);
  for (const st of s.steps) {
    const p = (st.params ?? {}) as Record<string, unknown>;
    const nav = literal(p['noticeNumber']);
    if (nav) notices.push([literal(p['fiscalCode']) ?? ec, nav]);
  }
  const hit = new Set<string>();
  for (const [fc, nav] of notices) {
    const r = routeNotice(s.setup.registry, fc, nav);
    if (r.ok && targets[r.route.station.stationCode]) hit.add(r.route.station.stationCode);
  }
  return [...hit];
}

/** Why a scenario cannot run against the user's stations, if it cannot. */
export function skipReason(s: Scenario, targets: Record<string, string>, sendGateway?: SendGateway): string | undefined {
  if (s.skip) return s.skip;
  const ids = Object.keys(targets);
  if (ids.length === 0) return undefined;
  const injected = injectedStations(s);
  const hit = ids.filter((id) => injected.has(id) || (injected.has('*') && s.setup.registry.stations.some((st) => st.stationCode === id)));
  if (hit.length) return `needs fault injection on station ${hit.join(', ')}, which is your station (--station); injections only work on reference stations`;
  const callers = sendGateway ? [] : priceCallers(s, targets);
  if (callers.length)
    return `needs your station ${callers.join(', ')} to call the harness's SEND price API: run with --send-port <port> and set your station's SEND base URL to http://127.0.0.1:<port>/send (src/send/README.md)`;
  return undefined;
}
