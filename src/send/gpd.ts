/**
 * createGpd: the GPD emulator as one part of the world. Its router (mount at the app
 * root) serves the REST API under /gpd, the GPD-backed paForNode port at /gpd/paForNode
 * and the JSON control API under /_control/gpd.
 */
import express, { type Router } from 'express';
import { requireControlGuard } from '../control/index.ts';
import type { Clock } from '../clock.ts';
import type { Exchange, Journal } from '../soap/exchange.ts';
import type { DemandService } from '../station/model.ts';
import { normalizePositions } from '../station/positions.ts';
import type { DebtPositionInput } from './gpdModel.ts';
import { GpdStore } from './gpdStore.ts';
import { gpdRouter, jsonBody } from './gpdRouter.ts';
import { gpdPaForNodeRouter } from './paForNode/endpoint.ts';
import { HttpInjections, type HttpInjection } from './httpInjection.ts';
import { problemErrorHandler, sendProblem } from './problem.ts';
import { restRecorder } from './restJournal.ts';

export interface GpdOptions {
  journal: Journal;
  clock: Clock;
  /** Asked by the notificationfee update (send.md §3.3 step 3); the mock Nodo passes its open-token check. */
  paymentInProgress?: (organizationFiscalCode: string, nav: string) => boolean;
  onBug?: (message: string) => void;
}

export interface Gpd {
  router: Router;
  store: GpdStore;
  /** Creates (and by default publishes) a debt position; returns the problem on failure. */
  createPosition(organizationFiscalCode: string, input: DebtPositionInput, opts?: { toPublish?: boolean }): ReturnType<GpdStore['create']>;
  /** The journal records of GPD (REST and paForNode), oldest first. */
  calls(filter?: { operation?: string; noticeNumber?: string }): Exchange[];
  /** Services whose spontaneous payments GPD serves (paDemandPaymentNotice); reset() drops them. */
  addService(service: DemandService): void;
  services(): DemandService[];
  /** Makes PUT .../notificationfee fail (status) or slow (latencyMs), e.g. GPD 5xx for send.md §5 row 3. */
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
  const calls: Gpd['calls'] = (f = {}) =>
    opts.journal.list({ party: 'gpd', operation: f.operation, ...(f.noticeNumber ? { meta: { noticeNumber: f.noticeNumber } } : {}) });

  const control = express.Router();
  control.use(requireControlGuard);
  control.get('/positions', (req, res) => res.json(store.list(req.query['organizationFiscalCode'] as string | undefined)));
  control.get('/calls', (req, res) => res.json(calls({ operation: req.query['operation'] as string | undefined, noticeNumber: req.query['noticeNumber'] as string | undefined })));
  control.post('/paymentInProgress', ...jsonBody(), (req, res) => {
    const b = (req.body ?? {}) as { organizationFiscalCode?: unknown; nav?: unknown; inProgress?: unknown };
    if (typeof b.organizationFiscalCode !== 'string' || typeof b.nav !== 'string' || typeof b.inProgress !== 'boolean') {
      return sendProblem(res, { status: 400, title: 'Bad Request', detail: 'Failed to set payment in progress: body must be {organizationFiscalCode, nav, inProgress: boolean}. Fix the body.' });
    }
    store.setPaymentInProgress(b.organizationFiscalCode, b.nav, b.inProgress);
    res.status(204).end();
  });
  control.post('/notificationfee-injections', ...jsonBody(), (req, res) => {
    const b = (req.body ?? {}) as HttpInjection;
    if ((b.status !== undefined && !(Number.isInteger(b.status) && b.status >= 400 && b.status <= 599)) || (b.latencyMs !== undefined && !(Number.isInteger(b.latencyMs) && b.latencyMs >= 0))) {
      return sendProblem(res, { status: 400, title: 'Bad Request', detail: 'Failed to add a notificationfee injection: status must be an HTTP error code (400-599) and latencyMs a non-negative integer. Fix the body.' });
    }
    feeInjections.add(b);
    res.status(201).json(feeInjections.active);
  });
  control.delete('/notificationfee-injections', (_req, res) => {
    feeInjections.clear();
    res.status(204).end();
  });
  control.get('/services', (_req, res) => res.json(services.map(({ xsd, ...rest }) => ({ ...rest, ...(xsd ? { xsd: xsd.name } : {}) }))));
  control.post('/services', ...jsonBody(), (req, res) => {
    const r = normalizePositions({ services: Array.isArray(req.body) ? req.body : [req.body] });
    if (!r.ok) return sendProblem(res, { status: 400, title: 'Bad Request', detail: `Failed to add the GPD service: ${r.issues.map((i) => i.message).join('; ')}. Send it in the positions file's services format (src/station/README.md); xsd is a path relative to the harness's working directory.` });
    for (const svc of r.config.services) api.addService(svc);
    res.status(201).json({ services: services.length });
  });
  control.post('/reset', (_req, res) => {
    store.clear();
    feeInjections.clear();
    services = [];
    res.status(204).end();
  });

  const router = express.Router();
  router.use('/gpd/paForNode', gpdPaForNodeRouter({ store, services: () => services, journal: opts.journal, now, onBug: opts.onBug }));
  router.use('/gpd', gpdRouter(store, rec, feeInjections, opts.onBug));
  control.use(problemErrorHandler(opts.onBug));
  router.use('/_control/gpd', control);

  const api: Gpd = {
    router,
    store,
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
      feeInjections.clear();
      services = [];
    },
  };
  return api;
}
