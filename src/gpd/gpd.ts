/**
 * createGpd: the GPD emulator as one part of the world. Its router (mount at the app
 * root) serves the REST API under /gpd, the GPD-backed paForNode port at /gpd/paForNode
 * and the JSON control API under /_control/gpd.
 */
import express, { type Router } from 'express';
import { requireControlGuard } from '../control/index.ts';
import type { Clock } from '../clock.ts';
import type { Exchange, Journal } from '../soap/index.ts';
import type { DemandService } from '../station/index.ts';
import { normalizePositions } from '../station/index.ts';
import type { DebtPositionInput } from './gpdModel.ts';
import { GpdStore } from './gpdStore.ts';
import { gpdRouter } from './gpdRouter.ts';
import { gpdPaForNodeRouter } from './paForNode/endpoint.ts';
import { HttpInjections, mountHttpInjections, type HttpInjection } from '../rest/index.ts';
import { jsonBody, problemErrorHandler, sendProblem } from '../rest/index.ts';
import { restRecorder } from '../rest/index.ts';
import { DEFAULT_SUBSCRIPTIONS, subscriptionsProblem, type Subscription } from './apim.ts';
import { GpdReceipts, type ReceiptRow } from './gpdReceipts.ts';
import { DEFAULT_RECEIPTS_API_OPTIONS, gpdReceiptsRouter, type ReceiptsApiOptions } from './gpdReceiptsRouter.ts';
import type { AssociationFlags } from './paForNode/standInLookup.ts';

export interface GpdOptions {
  journal: Journal;
  clock: Clock;
  /** Asked by the notificationfee update (docs/send.md §3.3 step 3); the mock Nodo passes its open-token check. */
  paymentInProgress?: (organizationFiscalCode: string, nav: string) => boolean;
  /** EC–station association flags (aca, standIn) for the stand-in path (`X-Client-Service-Type: ACA`); the world reads the Nodo's registry. */
  associations?: AssociationFlags;
  /** APIM subscriptions of the receipts API (default: one key, `harness-subscription-key`, every EC). */
  subscriptions?: Subscription[];
  /** Switches of the receipts API (README.md, "GPD receipts"). */
  receiptsApi?: Partial<ReceiptsApiOptions>;
  onBug?: (message: string) => void;
}

export interface Gpd {
  router: Router;
  store: GpdStore;
  /** The receipts table (rows written by paSendRT[V2] to GPD; read by GET /gpd/payments/{fc}/receipts). */
  receipts: GpdReceipts;
  /** Replaces the receipts API's subscriptions; returns why they are wrong instead (nothing changed then). */
  setSubscriptions(s: Subscription[]): string | undefined;
  /** Creates (and by default publishes) a debt position; returns the problem on failure. */
  createPosition(organizationFiscalCode: string, input: DebtPositionInput, opts?: { toPublish?: boolean }): ReturnType<GpdStore['create']>;
  /** The journal records of GPD (REST and paForNode), oldest first. */
  calls(filter?: { operation?: string; noticeNumber?: string }): Exchange[];
  /** Services whose spontaneous payments GPD serves (paDemandPaymentNotice); reset() drops them. */
  addService(service: DemandService): void;
  services(): DemandService[];
  /** Makes PUT .../notificationfee fail (status) or slow (latencyMs), e.g. GPD 5xx for docs/send.md §5 row 3. */
  injectFeeFailure(i: HttpInjection): void;
  clearInjections(): void;
  reset(): void;
}

export function createGpd(opts: GpdOptions): Gpd {
  const now = () => opts.clock.now();
  const store = new GpdStore({ clock: opts.clock, paymentInProgress: opts.paymentInProgress });
  const rec = restRecorder(opts.journal, 'gpd', 'ec', now);
  const feeInjections = new HttpInjections();
  let services: DemandService[] = [];
  const receipts = new GpdReceipts();
  const storageFailures = new HttpInjections();
  let subscriptions: Subscription[] = (opts.subscriptions ?? DEFAULT_SUBSCRIPTIONS).map((x) => ({ ...x }));
  const receiptsOptions: ReceiptsApiOptions = { ...DEFAULT_RECEIPTS_API_OPTIONS, ...opts.receiptsApi };
  const calls: Gpd['calls'] = (f = {}) =>
    opts.journal.list({ party: 'gpd', operation: f.operation, ...(f.noticeNumber ? { meta: { noticeNumber: f.noticeNumber } } : {}) });

  const control = express.Router();
  control.use(requireControlGuard);
  control.get('/positions', (req, res) => res.json(store.list(req.query['organizationFiscalCode'] as string | undefined)));
  control.get('/calls', (req, res) =>
    res.json(calls({ operation: req.query['operation'] as string | undefined, noticeNumber: req.query['noticeNumber'] as string | undefined })),
  );
  control.post('/paymentInProgress', ...jsonBody(), (req, res) => {
    const b = (req.body ?? {}) as { organizationFiscalCode?: unknown; nav?: unknown; inProgress?: unknown };
    if (typeof b.organizationFiscalCode !== 'string' || typeof b.nav !== 'string' || typeof b.inProgress !== 'boolean') {
      return sendProblem(res, {
        status: 400,
        title: 'Bad Request',
        detail: 'Failed to set payment in progress: body must be {organizationFiscalCode, nav, inProgress: boolean}. Fix the body.',
      });
    }
    store.setPaymentInProgress(b.organizationFiscalCode, b.nav, b.inProgress);
    res.status(204).end();
  });
  mountHttpInjections(control, '/notificationfee-injections', feeInjections, 'notificationfee');
  control.get('/services', (_req, res) => res.json(services.map(({ xsd, ...rest }) => ({ ...rest, ...(xsd ? { xsd: xsd.name } : {}) }))));
  control.post('/services', ...jsonBody(), (req, res) => {
    const r = normalizePositions({ services: Array.isArray(req.body) ? req.body : [req.body] });
    if (!r.ok)
      return sendProblem(res, {
        status: 400,
        title: 'Bad Request',
        detail: `Failed to add the GPD service: ${r.issues.map((i) => i.message).join('; ')}. Send it in the positions file's services format (src/station/README.md); xsd is a path relative to the harness's working directory.`,
      });
    for (const svc of r.config.services) api.addService(svc);
    res.status(201).json({ services: services.length });
  });
  control.get('/receipts', (req, res) =>
    res.json(req.query['organizationFiscalCode'] ? receipts.of(String(req.query['organizationFiscalCode'])) : receipts.all()),
  );
  // Seeds a row (e.g. a receipt from before the run, or one whose option GPD still reports unpaid: 422).
  control.post('/receipts', ...jsonBody(), (req, res) => {
    const b = (req.body ?? {}) as Partial<ReceiptRow>;
    const str = (v: unknown) => typeof v === 'string' && v !== '';
    if (
      !str(b.organizationFiscalCode) ||
      !str(b.iuv) ||
      !str(b.paymentDateTime) ||
      (b.debtor !== undefined && typeof b.debtor !== 'string') ||
      (b.document !== undefined && typeof b.document !== 'string')
    ) {
      return sendProblem(res, {
        status: 400,
        title: 'Bad Request',
        detail: 'Failed to seed a receipt: body must be {organizationFiscalCode, iuv, paymentDateTime, debtor?, document?} with strings. Fix the body.',
      });
    }
    const row: ReceiptRow = {
      organizationFiscalCode: b.organizationFiscalCode!,
      iuv: b.iuv!,
      paymentDateTime: b.paymentDateTime!,
      debtor: b.debtor ?? '',
      status: 'PAID',
      document: b.document ?? '',
    };
    if (!receipts.add(row))
      return sendProblem(res, {
        status: 409,
        title: 'Conflict',
        detail: `Failed to seed a receipt: ${row.organizationFiscalCode}/${row.iuv} already has one.`,
      });
    res.status(201).json(row);
  });
  control.post('/receipts-injections', ...jsonBody(), (req, res) => {
    const b = (req.body ?? {}) as HttpInjection;
    if (b.status !== undefined && !(Number.isInteger(b.status) && b.status >= 500 && b.status <= 599)) {
      return sendProblem(res, {
        status: 400,
        title: 'Bad Request',
        detail: 'Failed to add a receipts storage failure: status must be a 5xx code (default 503). Fix the body.',
      });
    }
    storageFailures.add({ status: b.status ?? 503, noticeCode: b.noticeCode, times: b.times });
    res.status(201).json(storageFailures.active);
  });
  control.delete('/receipts-injections', (_req, res) => {
    storageFailures.clear();
    res.status(204).end();
  });
  control.get('/subscriptions', (_req, res) => res.json(subscriptions));
  control.put('/subscriptions', ...jsonBody(), (req, res) => {
    const why = subscriptionsProblem(req.body);
    if (why)
      return sendProblem(res, {
        status: 400,
        title: 'Bad Request',
        detail: `Failed to replace the GPD subscriptions: ${why}. Send [{"key": "...", "fiscalCodes": ["77777777777"], "segregationCodes": ["01"]}].`,
      });
    subscriptions = (req.body as Subscription[]).map((x) => ({ ...x }));
    res.json(subscriptions);
  });
  control.post('/reset', (_req, res) => {
    store.clear();
    receipts.clear();
    feeInjections.clear();
    services = [];
    storageFailures.clear();
    res.status(204).end();
  });

  const router = express.Router();
  router.use(
    '/gpd/paForNode',
    gpdPaForNodeRouter({ store, receipts, services: () => services, associations: opts.associations, journal: opts.journal, now, onBug: opts.onBug }),
  );
  router.use(
    '/gpd/payments',
    gpdReceiptsRouter({ receipts, store, clock: opts.clock, subscriptions: () => subscriptions, storageFailures, rec, options: receiptsOptions }),
  );
  router.use('/gpd', gpdRouter(store, rec, feeInjections, opts.onBug));
  control.use(problemErrorHandler(opts.onBug));
  router.use('/_control/gpd', control);

  const api: Gpd = {
    router,
    store,
    receipts,
    setSubscriptions(list) {
      const why = subscriptionsProblem(list);
      if (why) return `Failed to set the GPD subscriptions: ${why}. Fix the list.`;
      subscriptions = list.map((x) => ({ ...x }));
      return undefined;
    },
    createPosition: (org, input, o = { toPublish: true }) => store.create(org, input, o),
    calls,
    addService: (svc) => {
      services = [...services.filter((x) => !(x.idServizio === svc.idServizio && x.idSoggettoServizio === svc.idSoggettoServizio)), svc];
    },
    services: () => [...services],
    injectFeeFailure: (i) => feeInjections.add(i),
    clearInjections: () => feeInjections.clear(),
    reset: () => {
      store.clear();
      receipts.clear();
      feeInjections.clear();
      services = [];
      storageFailures.clear();
    },
  };
  return api;
}
