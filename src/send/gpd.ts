/**
 * createGpd: the GPD emulator as one part of the world. Its router (mount at the app
 * root) serves the REST API under /gpd, the GPD-backed paForNode port at /gpd/paForNode
 * and the JSON control API under /_control/gpd.
 */
import express, { type Router } from 'express';
import type { Clock } from '../clock.ts';
import type { Exchange, Journal } from '../soap/exchange.ts';
import type { DebtPositionInput } from './gpdModel.ts';
import { GpdStore } from './gpdStore.ts';
import { gpdRouter, jsonBody } from './gpdRouter.ts';
import { gpdPaForNodeRouter } from './paForNode/endpoint.ts';
import { sendProblem } from './problem.ts';
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
  reset(): void;
}

export function createGpd(opts: GpdOptions): Gpd {
  const now = () => opts.clock.now();
  const store = new GpdStore({ clock: opts.clock, paymentInProgress: opts.paymentInProgress });
  const rec = restRecorder(opts.journal, 'gpd', 'ec', now);
  const calls: Gpd['calls'] = (f = {}) =>
    opts.journal.list({ party: 'gpd', operation: f.operation, ...(f.noticeNumber ? { meta: { noticeNumber: f.noticeNumber } } : {}) });

  const control = express.Router();
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
  control.post('/reset', (_req, res) => {
    store.clear();
    res.status(204).end();
  });

  const router = express.Router();
  router.use('/gpd/paForNode', gpdPaForNodeRouter({ store, journal: opts.journal, now, onBug: opts.onBug }));
  router.use('/gpd', gpdRouter(store, rec));
  router.use('/_control/gpd', control);

  return {
    router,
    store,
    createPosition: (org, input, o = { toPublish: true }) => store.create(org, input, o),
    calls,
    reset: () => store.clear(),
  };
}
