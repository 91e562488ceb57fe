/**
 * createNodo: the mock Nodo as an express Router (POST /nodo nodeForPsp, GET /nodo?wsdl,
 * /_control/nodo/...) plus the programmatic API the scenario engine uses.
 */
import express, { type Router } from 'express';
import type { Clock } from '../clock.ts';
import type { Journal } from '../soap/index.ts';
import { createSoapPort, type HandlerResult, type SoapRequestContext, type SoapRoute } from '../soap/index.ts';
import { lastErrorHandler } from '../soap/index.ts';
import { wsdlHandler } from '../soap/index.ts';
import { activatePaymentNotice } from './activatePaymentNotice.ts';
import { demandPaymentNotice } from './demandPaymentNotice.ts';
import { nodoChiediCatalogoServiziV2 } from './nodoChiediCatalogoServiziV2.ts';
import { DEFAULT_SETTINGS, type NodoContext, type NodoOptions, type NodoSettings, type ReceiptSink, type TimeoutOptions } from './context.ts';
import { controlRouter } from './control.ts';
import { receiptInputOf } from './receiptInput.ts';
import { createReceiptDelivery, type ReceiptDelivery, type ReceiptDeliveryOptions } from './receipts/index.ts';
import type { Registry, Station } from './registry.ts';
import { envelopeKo, nodoKo, systemError } from './respond.ts';
import { DEFAULT_SEMANTIC_OPTIONS, type SemanticOptions } from './semantic.ts';
import { sendPaymentOutcome } from './sendPaymentOutcome.ts';
import { DEFAULT_KEYS_MAX, DEFAULT_RETAINED_MAX, SessionStore, type PaidNotice, type PaymentSession } from './sessions.ts';
import { createStandIn, resolveStandInOptions, type StandIn, type StandInOptionsInput } from './standIn/index.ts';
import { createTokenGenerator } from './tokens.ts';
import { verificaBollettino } from './verificaBollettino.ts';
import { verifyPaymentNotice } from './verifyPaymentNotice.ts';

export type { NodoOptions, NodoSettings, TimeoutOptions } from './context.ts';
export type { PaidNotice, PaymentSession } from './sessions.ts';

export const NODO_PATH = '/nodo';

export type NodoOptionsInput = Partial<Omit<NodoOptions, 'timeouts' | 'semantic' | 'standIn'>> & {
  /** Stand-in switches and thresholds (src/nodo/standIn/README.md). */
  standIn?: StandInOptionsInput;
  timeouts?: Partial<TimeoutOptions>;
  semantic?: Partial<SemanticOptions>;
  /** Receipt delivery options (src/nodo/receipts). */
  receipts?: ReceiptDeliveryOptions;
};

export interface CreateNodoOptions {
  journal: Journal;
  clock: Clock;
  registry: Registry;
  options?: NodoOptionsInput;
  /** Reloads the registry (e.g. from its file) for POST /_control/nodo/registry/reload. */
  loadRegistry?: () => { ok: true; registry: Registry } | { ok: false; message: string };
  /** Receives every message that is a bug of ours. */
  onBug?: (message: string) => void;
  /**
   * Called after the registry was replaced (setRegistry, PUT or reload over the control API),
   * so parts derived from it (the reference stations' identities in a world) follow.
   */
  onRegistryChange?: (r: Registry) => void;
}

export interface Nodo {
  router: Router;
  /** The nodeForPsp port at exactly `/nodo`, for soapFirst (soap/dispatch.ts): served without express's router stack. */
  soapRoute: SoapRoute;
  setBaseUrl(url: string): void;
  baseUrl(): string | undefined;
  registry(): Registry;
  setRegistry(r: Registry): void;
  session(paymentToken: string): PaymentSession | undefined;
  /** The sessions kept (ended ones are retired sessionRetentionMs after they end, the oldest sooner past sessionRetentionMax). */
  sessions(): PaymentSession[];
  /** Every notice paid on pagoPA since the last reset (kept after its session is retired). */
  paidNotices(): PaidNotice[];
  /** Whether a payment holds the notice now: an activation in flight or a token not yet freed (PPT_PAGAMENTO_IN_CORSO). */
  paymentInProgress(fiscalCode: string, noticeNumber: string): boolean;
  /** The Nodo's settings in force (registry `settings` over the options over the real defaults). */
  settings(): NodoSettings;
  /** Entries each session index keeps (for bounded-memory checks). */
  stateSizes(): Record<string, number>;
  receipts: ReceiptDelivery;
  /** Stations in stand-in, events, probes (src/nodo/standIn). */
  standIn: StandIn;
  /** Resolves when no receipt attempt and no stand-in job is in flight. */
  whenIdle(): Promise<void>;
  /** Drops stand-in state too. Drops sessions, idempotency keys, receipts; activations in flight create nothing; tokens are never reissued. */
  reset(): void;
  close(): void;
  options: NodoOptions;
}

export function resolveNodoOptions(o: NodoOptionsInput = {}): NodoOptions {
  return {
    defaultExpirationMs: o.defaultExpirationMs ?? DEFAULT_SETTINGS.tokenValidityMs,
    idempotencyKeyValidityMs: o.idempotencyKeyValidityMs ?? DEFAULT_SETTINGS.idempotencyKeyValidityMs,
    useIdempotency: o.useIdempotency ?? DEFAULT_SETTINGS.useIdempotency,
    expiryJobPeriodMs: o.expiryJobPeriodMs ?? DEFAULT_SETTINGS.expiryJobPeriodMs,
    sessionRetentionMs: o.sessionRetentionMs ?? 86_400_000,
    sessionRetentionMax: o.sessionRetentionMax ?? DEFAULT_RETAINED_MAX,
    idempotencyKeysMax: o.idempotencyKeysMax ?? DEFAULT_KEYS_MAX,
    timeouts: { ...DEFAULT_SETTINGS.stationTimeouts, ...o.timeouts },
    seed: o.seed,
    stationUrls: o.stationUrls ?? {},
    rejectV1MultiBeneficiary: o.rejectV1MultiBeneficiary ?? true,
    lateOkCompletesPayment: o.lateOkCompletesPayment ?? true,
    requireDetailsOnOk: o.requireDetailsOnOk ?? true,
    semantic: { ...DEFAULT_SEMANTIC_OPTIONS, ...o.semantic },
    standIn: resolveStandInOptions(o.standIn),
  };
}

type Handler = (ctx: NodoContext, req: SoapRequestContext) => Promise<HandlerResult>;

const HANDLERS: Record<string, Handler> = {
  verifyPaymentNotice,
  verificaBollettino,
  activatePaymentNotice,
  activatePaymentNoticeV2: activatePaymentNotice,
  sendPaymentOutcome,
  sendPaymentOutcomeV2: sendPaymentOutcome,
  demandPaymentNotice,
  nodoChiediCatalogoServiziV2,
};

/** nodeForPsp.wsdl operations the mock Nodo emulates. */
export const EMULATED_OPERATIONS: readonly string[] = Object.keys(HANDLERS);

/** nodeForPsp.wsdl operations the mock Nodo does not emulate: answered with a KO saying so. */
export const NOT_EMULATED = ['nodoInviaFlussoRendicontazione', 'nodoChiediTemplateInformativaPSP', 'nodoChiediInformativaPA'] as const;

export function createNodo(opts: CreateNodoOptions): Nodo {
  const options = resolveNodoOptions(opts.options);
  let registry = opts.registry;
  let baseUrl: string | undefined;
  const onBug = opts.onBug ?? ((m: string) => process.stderr.write(`mock Nodo bug: ${m}\n`));

  function stationUrlByCode(code: string): string {
    const override = options.stationUrls[code];
    if (override) return override;
    const station = registry.stations.find((s) => s.stationCode === code);
    const base = baseUrl ?? 'http://127.0.0.1:0';
    if (!station || station.endpoint === 'reference') return `${base}/stations/${encodeURIComponent(code)}`;
    if (station.endpoint === 'gpd') return `${base}/gpd/paForNode`;
    return station.endpoint;
  }

  const receiptOptions = { ...(opts.options?.timeouts?.paSendRT !== undefined ? { timeout: opts.options.timeouts.paSendRT } : {}), ...opts.options?.receipts };
  const receipts = createReceiptDelivery({
    journal: opts.journal,
    clock: opts.clock,
    registry: () => registry,
    stationUrl: stationUrlByCode,
    options: receiptOptions,
  });
  const standIn = createStandIn({
    journal: opts.journal,
    clock: opts.clock,
    registry: () => registry,
    stationUrl: (s) => stationUrlByCode(s.stationCode),
    archiveUrl: () => options.standIn.archiveUrl ?? `${baseUrl ?? 'http://127.0.0.1:0'}/gpd/paForNode`,
    options: options.standIn,
    onBug,
  });
  const sink: ReceiptSink = {
    deliver: (p) => {
      const input = standIn.receiptInput(receiptInputOf(p));
      return input ? receipts.deliver(input) : undefined;
    },
  };

  // The settings in force: the registry's own over the options; recomputed when the registry changes.
  let settingsOf: { registry: Registry; settings: NodoSettings } | undefined;
  function settings(): NodoSettings {
    if (settingsOf?.registry === registry) return settingsOf.settings;
    const r = registry.settings ?? {};
    const t = r.stationTimeouts ?? {};
    const computed: NodoSettings = {
      useIdempotency: r.useIdempotency ?? options.useIdempotency,
      idempotencyKeyValidityMs: r.idempotencyKeyValidity ?? options.idempotencyKeyValidityMs,
      tokenValidityMs: r.tokenValidity ?? options.defaultExpirationMs,
      expiryJobPeriodMs: r.expiryJobPeriod ?? options.expiryJobPeriodMs,
      stationTimeouts: {
        paVerifyPaymentNotice: t.paVerifyPaymentNotice ?? options.timeouts.paVerifyPaymentNotice,
        paGetPayment: t.paGetPayment ?? options.timeouts.paGetPayment,
        paSendRT: t.paSendRT ?? options.timeouts.paSendRT,
        paDemandPaymentNotice: t.paDemandPaymentNotice ?? options.timeouts.paDemandPaymentNotice,
      },
    };
    settingsOf = { registry, settings: computed };
    return computed;
  }

  const sessions = new SessionStore(opts.clock, () => ({
    expiryJobPeriodMs: settings().expiryJobPeriodMs,
    retentionMs: options.sessionRetentionMs,
    retainedMax: options.sessionRetentionMax,
    keysMax: options.idempotencyKeysMax,
  }));
  const tokens = createTokenGenerator(options.seed);

  const ctx: NodoContext = {
    journal: opts.journal,
    clock: opts.clock,
    registry: () => registry,
    options,
    settings,
    sessions,
    tokens,
    stationUrl: (s: Station) => stationUrlByCode(s.stationCode),
    timeoutFor: (s: Station, p: keyof TimeoutOptions) => s.timeouts[p] ?? settings().stationTimeouts[p],
    receipts: sink,
    standIn,
    onBug,
  };

  const endpoint = createSoapPort({
    iface: 'nodeForPsp',
    journal: opts.journal,
    party: 'nodo',
    caller: 'psp',
    now: () => opts.clock.now(),
    onBug,
    systemError,
    onEnvelopeProblem: envelopeKo,
    async handle(req) {
      const h = HANDLERS[req.operation.name];
      if (h) return h(ctx, req);
      return nodoKo(req, 'PPT_SYSTEM_ERROR', `${req.operation.name} is not emulated by the mock Nodo (emulated: ${Object.keys(HANDLERS).join(', ')})`, {});
    },
  });

  const nodo: Nodo = {
    router: express.Router(),
    soapRoute: (path) => (path === NODO_PATH ? endpoint : undefined),
    setBaseUrl(url) {
      baseUrl = url.replace(/\/+$/, '');
    },
    baseUrl: () => baseUrl,
    registry: () => registry,
    setRegistry(r) {
      registry = r;
      opts.onRegistryChange?.(r);
    },
    session: (t) => sessions.get(t),
    sessions: () => sessions.list(),
    paidNotices: () => sessions.paidNotices(),
    paymentInProgress: (fc, nn) => sessions.inProgress(fc, nn),
    settings,
    stateSizes: () => ({ ...sessions.sizes(), ...receipts.sizes() }),
    receipts,
    standIn,
    async whenIdle() {
      await standIn.whenIdle();
      await receipts.whenIdle();
    },
    reset() {
      sessions.reset();
      tokens.reset();
      receipts.reset();
      standIn.reset();
    },
    close() {
      receipts.close();
      standIn.close();
    },
    options,
  };
  nodo.router.get(NODO_PATH, wsdlHandler('nodeForPsp'));
  nodo.router.use(NODO_PATH, endpoint.router);
  nodo.router.use(controlRouter({ nodo, journal: opts.journal, clock: opts.clock, loadRegistry: opts.loadRegistry }));
  nodo.router.use(receipts.router);
  nodo.router.use(standIn.router);
  // Mounted in someone else's app too: the router answers its own errors without a stack.
  nodo.router.use(lastErrorHandler(onBug));
  return nodo;
}
export {
  type Attempt,
  paSendRTReqBody,
  paSendRTV2RequestBody,
  type PaymentData,
  receiptBody,
  type ReceiptData,
  type ReceiptInput,
  type ReceiptPrimitive,
  type ReceiptRecord,
  type RecipientDelivery,
} from './receipts/index.ts';
export { findEc, formatRegistryIssue, loadRegistry, normalizeRegistry, type Registry, type RegistryResult, registrySchema } from './registry.ts';
export { routeNotice } from './routing.ts';
export { type ProbeResult, STANDIN_CONTROL_PATH } from './standIn/index.ts';
