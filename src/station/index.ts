/**
 * The reference EC stations: one paForNode endpoint per configured station at
 * `POST /stations/<idStation>` (`GET ...?wsdl`), the JSON control API under
 * `/_control/stations/...`, and the programmatic object the scenario engine uses.
 * Station identities and positions are separable: the caller may inject `stations`
 * (derived from the Nodo registry) and load positions on their own.
 */
import express from 'express';
import { MAX_TIMER_MS, type Clock } from '../clock.ts';
import { lastErrorHandler } from '../soap/index.ts';
import { createSoapPort, type HandlerResult, type SoapPort, type SoapRequestContext } from '../soap/index.ts';
import type { Journal } from '../soap/index.ts';
import { operationByName } from '../soap/index.ts';
import { wsdlHandler } from '../soap/index.ts';
import { issue } from '../xml/index.ts';
import { faultId, headerOf } from './checks.ts';
import { qrCodeOf, str, type Answer, type StationEnv, type StationHandler } from './context.ts';
import { createControlRouter } from './control.ts';
import { alterForDefects, defectAnswer, has, NO_DEFECTS, parseDefects, slowMs, type DefectSet } from './defects.ts';
import { koBody, paaFault } from './faults.ts';
import { alterAnswer, answeringOperation, callerGone, describeInjection, replaceAnswer, sleep, takeInjection } from './injections.ts';
import { emptyConfig, positionKey, type Injection, type StationDef, type StationsConfig } from './model.ts';
import { paDemandPaymentNotice } from './paDemandPaymentNotice.ts';
import { paGetPayment } from './paGetPayment.ts';
import { paSendRT } from './paSendRT.ts';
import { paVerifyPaymentNotice } from './paVerifyPaymentNotice.ts';
import { normalizeInjection } from './positions.ts';
import { applyPrice, baseQuote, DEFAULT_SEND_TIMEOUT_MS, fetchSendPrice } from './sendPrice.ts';
import { createStore, findPosition, packPositions, type StationStore } from './store.ts';
import { conferToAca } from './confer.ts';
import { PackedPositions } from './positionTable.ts';
import type { ReferenceStations } from './referenceStations.ts';

export * from './model.ts';
export { packPositions } from './store.ts';
export { PackedPositions } from './positionTable.ts';
export { loadPositionsNdjson } from './positionsNdjson.ts';
export { positionsSchema, positionSchema, injectionSchema, stationSchema, transferSchema, serviceSchema } from './positionsSchema.ts';
export { normalizePositions, normalizeInjection, parsePositionsYaml, type LoadResult } from './positions.ts';
export { loadPositionsFile } from './positionsFile.ts';
export { makeNoticeNumber, checkDigit, iuvOf, hasValidCheckDigit, noticeNumberGenerator, STAND_IN_PROBE } from './noticeNumber.ts';
export { DEFECTS, parseDefects, describeDefects, closestDefects, defectEntry, UNREGISTERED_IBAN, type DefectEntry, type DefectSet } from './defects.ts';

export interface ReferenceStationsOptions {
  journal: Journal;
  clock: Clock;
  /** Positions file content (normalised); its `stations` are used unless `stations` is given. */
  config?: StationsConfig;
  /** Station identities injected by the caller (e.g. derived from the Nodo registry). */
  stations?: StationDef[];
  /** Base URL of SEND (e.g. `http://127.0.0.1:PORT/send`); the price API is below it. */
  sendBaseUrl?: string;
  /** Timeout of the SEND price call; default from config, else 3 s. */
  sendTimeoutMs?: number;
  /** Where our own bugs are reported loudly (default: stderr). */
  onBug?: (message: string) => void;
  /**
   * Broken stations (defects.ts): every station of this object answers with these defects
   * switched on, as `name` or `name=value` (`slow=9s`) or a parsed DefectSet. An unknown name throws.
   */
  defects?: readonly string[] | DefectSet;
}

export type { ReceiptFilter, ReferenceStations } from './referenceStations.ts';

const HANDLERS: Record<string, StationHandler> = {
  paVerifyPaymentNotice,
  paGetPayment,
  paGetPaymentV2: paGetPayment,
  paSendRT,
  paSendRTV2: paSendRT,
  paDemandPaymentNotice,
};

function noticeOf(ctx: SoapRequestContext): string | undefined {
  const req = ctx.message.bodyChild.value;
  return qrCodeOf(req).noticeNumber ?? str((req['receipt'] as Record<string, unknown> | undefined)?.['noticeNumber']);
}

const toResult = (a: Answer): Extract<HandlerResult, { kind: 'response' }> => ({ kind: 'response', body: a.body, notes: a.notes, meta: a.meta });

/** The V1 primitive a `v1-element-in-v2` station answers a V2 request with. */
const V1_OF: Record<string, string> = { paGetPaymentV2: 'paGetPayment', paSendRTV2: 'paSendRT' };

function defectSetOf(spec: ReferenceStationsOptions['defects']): DefectSet {
  if (!spec) return NO_DEFECTS;
  if (!Array.isArray(spec)) return spec as DefectSet;
  const parsed = parseDefects(spec as string[]);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.defects;
}

export function createReferenceStations(opts: ReferenceStationsOptions): ReferenceStations {
  const { journal, clock } = opts;
  // The reset baseline: positions packed (positionTable.ts), the rest of the configuration copied.
  let packed = packPositions(opts.config?.positions ?? [], opts.config?.packed ?? new PackedPositions());
  let baseline: StationsConfig = structuredClone({
    ...emptyConfig(),
    ...opts.config,
    packed: undefined,
    positions: [],
    stations: opts.stations ?? opts.config?.stations ?? [],
  });
  let store: StationStore = createStore(baseline, packed);
  let sendBaseUrl = opts.sendBaseUrl;
  let sendTimeoutMs = opts.sendTimeoutMs ?? opts.config?.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
  let journalFrom = 0;
  const onBug = opts.onBug ?? ((m: string) => process.stderr.write(`[station] BUG: ${m}\n`));
  const defects = defectSetOf(opts.defects);
  const endpoints = new Map<string, SoapPort>();

  function envOf(station: StationDef): StationEnv {
    return {
      station,
      store,
      now: () => clock.now(),
      defects,
      async quote(p, operation) {
        if (!p.send) return baseQuote(p);
        const price = await fetchSendPrice({
          baseUrl: sendBaseUrl,
          fiscalCode: p.fiscalCode,
          noticeNumber: p.noticeNumber,
          timeoutMs: sendTimeoutMs,
          journal,
          party: `station:${station.idStation}`,
          now: () => clock.now(),
          operation,
        });
        return applyPrice(p, price);
      },
    };
  }

  /** The station's answer to one request: its primitive's handler, or what an injection makes of it. */
  async function answerRequest(idStation: string, ctx: SoapRequestContext): Promise<HandlerResult> {
    const station = store.stations.get(idStation);
    if (!station) throw new Error(`station ${idStation} was removed while serving a request`);
    const op = ctx.operation;
    const handler = HANDLERS[op.name];
    if (!handler) throw new Error(`no handler for ${op.name}`);
    const env = envOf(station);
    const inj = takeInjection(store.injections, idStation, op.name, noticeOf(ctx));
    if (!inj) return defects.size ? answerWithDefects(env, ctx) : toResult(await handler(env, op, ctx.message));
    const note = describeInjection(inj);
    if (inj.delayMs) await sleep(inj.delayMs);
    if (inj.action.kind === 'hold') {
      // No answer while the caller waits: what times out is the caller's timer, never a race with ours.
      await callerGone(ctx.res);
      return {
        kind: 'drop',
        mode: 'close',
        notes: [note, 'held without answering until the caller closed the connection'],
        meta: { injection: inj.id, idStation },
      };
    }
    const id = faultId(station, headerOf(ctx.message.bodyChild.value));
    const replaced = replaceAnswer(inj, op, id, note);
    if (replaced) return { ...replaced, meta: { ...replaced.meta, injection: inj.id, idStation } };
    const as = answeringOperation(inj, op);
    const answer = await HANDLERS[as.name]!(env, as, ctx.message);
    const altered = alterAnswer(inj, op, answer, note, id);
    return { ...altered, meta: { ...altered.meta, injection: inj.id } };
  }

  /** The answer of a broken station (defects.ts): late, replaced, in the wrong version's element, or sent wrongly. */
  async function answerWithDefects(env: StationEnv, ctx: SoapRequestContext): Promise<HandlerResult> {
    const delay = slowMs(defects);
    if (delay) await sleep(delay);
    const early = defectAnswer(defects, ctx.operation, ctx.message.bodyChild.value);
    if (early) return early;
    const v1 = has(defects, 'v1-element-in-v2') ? V1_OF[ctx.operation.name] : undefined;
    const op = v1 ? operationByName(v1)! : ctx.operation;
    const answer = toResult(await HANDLERS[op.name]!(env, op, ctx.message));
    if (v1) answer.notes = [...(answer.notes ?? []), `defect v1-element-in-v2: ${ctx.operation.name} answered with ${op.response}`];
    return alterForDefects(defects, answer);
  }

  // Answers in progress: the endpoint writes the journal record right after the handler resolves,
  // so once these settled (and a tick passed) every answer is recorded, even one nobody waits for
  // any more (the Nodo gave up at its timeout).
  const answering = new Set<Promise<unknown>>();
  function track<T>(p: Promise<T>): Promise<T> {
    answering.add(p);
    const done = () => setImmediate(() => answering.delete(p));
    p.then(done, done);
    return p;
  }

  function endpointFor(idStation: string): SoapPort {
    let ep = endpoints.get(idStation);
    if (ep) return ep;
    ep = createSoapPort({
      iface: 'paForNode',
      journal,
      party: `station:${idStation}`,
      caller: 'nodo',
      now: () => clock.now(),
      onBug,
      systemError: (ctx, why) => {
        const station = store.stations.get(idStation) ?? { idStation, idBrokerPA: '', ecs: [] };
        return koBody(ctx.operation, paaFault('PAA_SYSTEM_ERROR', why), faultId(station, headerOf(ctx.message.bodyChild.value)));
      },
      handle: (ctx) => track(answerRequest(idStation, ctx)),
    });
    endpoints.set(idStation, ep);
    return ep;
  }

  const router = express.Router();
  router.use(
    '/_control/stations',
    createControlRouter(() => api),
  );
  router.use('/stations/:idStation', (req, res, next) => {
    const id = String(req.params['idStation'] ?? '');
    if (!store.stations.has(id)) {
      if (req.method === 'GET' || req.method === 'POST') {
        res
          .status(404)
          .type('text/plain')
          .send(`Failed to find station ${id}: it is not configured. Configured stations: ${[...store.stations.keys()].join(', ') || 'none'}.\n`);
        return;
      }
      return next();
    }
    if (req.method === 'GET') return wsdlHandler('paForNode')(req, res, next);
    return endpointFor(id).router(req, res, next);
  });
  // Mounted in someone else's app too: the router answers its own errors without a stack.
  router.use(lastErrorHandler(onBug));

  const setBaseline = (c: StationsConfig) => {
    baseline = structuredClone({ ...c, positions: [], packed: undefined });
  };

  const STATION_PATH = '/stations/';
  const api: ReferenceStations = {
    router,
    soapRoute: (path) => {
      if (!path.startsWith(STATION_PATH)) return undefined;
      const id = path.slice(STATION_PATH.length);
      return store.stations.has(id) ? endpointFor(id) : undefined;
    },
    stations: () => [...store.stations.values()].map((s) => ({ ...s, ecs: [...s.ecs] })),
    setStations(defs) {
      store.stations = new Map(defs.map((s) => [s.idStation, { ...s, ecs: [...s.ecs] }]));
      setBaseline({ ...baseline, stations: defs });
    },
    addStation(def) {
      store.stations.set(def.idStation, { ...def, ecs: [...def.ecs] });
      setBaseline({ ...baseline, stations: [...baseline.stations.filter((s) => s.idStation !== def.idStation), def] });
    },
    loadPositions(positions, o = {}) {
      api.loadPacked(packPositions(positions), o);
    },
    loadPacked(more, o = {}) {
      if (o.replace) {
        packed = more;
        const stations = store.stations;
        store.positions = createStore(baseline, packed).positions;
        store.stations = stations;
        return;
      }
      for (const [key, slot] of more.keys) {
        packed.add(more.read(slot));
        store.positions.forget(key);
      }
    },
    loadConfig(config, o = {}) {
      if (config.stations.length && !opts.stations) for (const s of config.stations) api.addStation(s);
      api.loadPacked(packPositions(config.positions, config.packed ? (o.replace ? config.packed : packPositions(config.packed.values())) : undefined), o);
      if (o.replace) {
        store.services = [...config.services];
        store.injections = config.injections.map((i) => ({ ...i }));
      } else {
        store.services.push(...config.services);
        store.injections.push(...config.injections.map((i) => ({ ...i })));
      }
      setBaseline({ ...baseline, services: [...store.services], injections: store.injections.map((i) => ({ ...i })) });
      if (config.sendTimeoutMs !== undefined) sendTimeoutMs = config.sendTimeoutMs;
    },
    positions: (fiscalCode) => [...store.positions.values()].filter((p) => !fiscalCode || p.fiscalCode === fiscalCode).map((p) => structuredClone(p)),
    position: (fc, nn) => {
      const p = store.positions.get(positionKey(fc, nn));
      return p && structuredClone(p);
    },
    setPositionState(fc, nn, state) {
      const p = store.positions.get(positionKey(fc, nn));
      if (!p) return false;
      p.state = state;
      return true;
    },
    receipts: (f = {}) =>
      [...store.receipts.values()].filter(
        (r) =>
          (!f.station || r.station === f.station) &&
          (!f.ec || r.idPA === f.ec || r.fiscalCode === f.ec) &&
          (!f.noticeNumber || r.noticeNumber === f.noticeNumber) &&
          (!f.receiptId || r.receiptId === f.receiptId),
      ),
    inject(spec) {
      const asModel = spec as Injection;
      if (
        asModel &&
        typeof asModel === 'object' &&
        'action' in asModel &&
        typeof asModel.action === 'object' &&
        asModel.action !== null &&
        'kind' in asModel.action
      ) {
        const inj: Injection = { ...asModel, id: asModel.id ?? `inj-rt-${store.injections.length + 1}`, delayMs: asModel.delayMs ?? 0 };
        if (!(inj.delayMs >= 0 && inj.delayMs <= MAX_TIMER_MS))
          return {
            ok: false,
            issues: [
              issue(
                'POSITIONS_INVALID',
                `injection delay ${inj.delayMs} ms is not between 0 and ${MAX_TIMER_MS} ms (the longest delay a timer can wait): it would fire at once. Use a shorter delay.`,
              ),
            ],
          };
        store.injections.push(inj);
        return { ok: true, injection: inj };
      }
      const r = normalizeInjection(spec);
      if (r.ok) store.injections.push(r.injection);
      return r;
    },
    injections: () => store.injections.map((i) => ({ ...i })),
    clearInjections(id) {
      const before = store.injections.length;
      store.injections = id === undefined ? [] : store.injections.filter((i) => i.id !== id);
      return before - store.injections.length;
    },
    exchanges(f = {}) {
      const { station, ...rest } = f;
      return journal
        .list({ ...rest, since: Math.max(rest.since ?? 0, journalFrom) })
        .filter((e) => (station ? e.party === `station:${station}` : e.party.startsWith('station:')));
    },
    clearExchanges() {
      journalFrom = journal.lastSeq;
    },
    reset() {
      const stations = store.stations;
      store = createStore(baseline, packed);
      store.stations = stations;
    },
    setSendBaseUrl(url) {
      sendBaseUrl = url;
    },
    setSendTimeoutMs(ms) {
      sendTimeoutMs = ms;
    },
    urlOf: (idStation, baseUrl) => `${baseUrl.replace(/\/+$/, '')}/stations/${encodeURIComponent(idStation)}`,
    async whenIdle() {
      while (answering.size) {
        await Promise.allSettled([...answering]);
        await new Promise<void>((r) => setImmediate(r));
      }
    },
    inFlight: () => answering.size,
    conferToAca(idStation, acaBaseUrl, key) {
      const held = [...store.positions.values()].filter((p) => findPosition(store, idStation, p.fiscalCode, p.noticeNumber) !== undefined);
      return conferToAca(held, acaBaseUrl, key);
    },
  };
  return api;
}
export { readDemandData } from './demandData.ts';
export { type DemandService, emptyConfig, formatCents, type Injection, type Position, type StationDef, type StationsConfig, type Transfer } from './model.ts';
export { paymentData } from './paGetPayment.ts';
export type { Quote } from './sendPrice.ts';
