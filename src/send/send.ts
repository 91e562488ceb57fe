/**
 * createSend: the SEND emulator as one part of the world. Its router (mount at the app
 * root) serves the REST API under /send and the JSON control API under /_control/send.
 */
import express, { type Router } from 'express';
import { requireControlGuard } from '../control/index.ts';
import type { Clock } from '../clock.ts';
import type { Exchange, Journal } from '../soap/index.ts';
import { HttpInjections, mountHttpInjections, type HttpInjection } from '../rest/index.ts';
import { jsonBody, problemErrorHandler, sendProblem } from '../rest/index.ts';
import { restRecorder } from '../rest/index.ts';
import type { NewNotificationRequest, NotificationRequestRecord, Routing } from './sendModel.ts';
import { sendRouter, statusBody } from './sendRouter.ts';
import { PHASES, SendService, type PhaseRequest, type PhaseResult, type SendServiceOptions, type SubmitResult } from './sendService.ts';
import type { Outcome } from '../rest/index.ts';
import type { CostItem, NotificationPriceV23 } from './costEngine.ts';

export interface SendOptions extends Omit<SendServiceOptions, 'routing'> {
  journal: Journal;
  clock: Clock;
  gpdBaseUrl?: string;
  routing?: Routing;
}

export interface Send {
  router: Router;
  service: SendService;
  setGpdBaseUrl(url: string): void;
  submit(request: NewNotificationRequest): SubmitResult;
  request(notificationRequestId: string): NotificationRequestRecord | undefined;
  byIun(iun: string): NotificationRequestRecord | undefined;
  advancePhase(req: PhaseRequest): Promise<Outcome<PhaseResult>>;
  cancel(iun: string): Promise<Outcome<PhaseResult>>;
  price(paTaxId: string, noticeCode: string): Outcome<NotificationPriceV23>;
  costItems(iun: string): CostItem[];
  injectPrice(i: HttpInjection): void;
  clearPriceInjections(): void;
  /** Price API calls (journal records, `at` on the world clock), optionally for one notice. */
  priceCalls(noticeCode?: string): Exchange[];
  /** Every SEND record (inbound and outbound to GPD). */
  calls(filter?: { operation?: string; noticeNumber?: string }): Exchange[];
  /** Waits for running validations / GPD pushes. */
  settle(): Promise<void>;
  reset(): void;
  close(): void;
}

export function createSend(opts: SendOptions): Send {
  const now = () => opts.clock.now();
  const service = new SendService(opts);
  const injections = new HttpInjections();
  const rec = restRecorder(opts.journal, 'send', 'ec', now);
  const calls: Send['calls'] = (f = {}) =>
    opts.journal.list({ party: 'send', operation: f.operation, ...(f.noticeNumber ? { meta: { noticeNumber: f.noticeNumber } } : {}) });

  const control = express.Router();
  control.use(requireControlGuard);
  control.get('/requests', (_req, res) => res.json(service.listRequests().map(statusBody)));
  control.get('/calls', (req, res) =>
    res.json(calls({ operation: req.query['operation'] as string | undefined, noticeNumber: req.query['noticeNumber'] as string | undefined })),
  );
  control.get('/costs/:iun', (req, res) => res.json(service.costItems(String(req.params['iun']))));
  control.post('/phase', ...jsonBody(), async (req, res) => {
    const b = (req.body ?? {}) as PhaseRequest;
    const phases: readonly string[] = PHASES;
    if (
      typeof b.iun !== 'string' ||
      !phases.includes(b.phase) ||
      ('analogCost' in b && !(Number.isSafeInteger(b.analogCost) && (b.analogCost as number) >= 0))
    ) {
      return sendProblem(res, {
        status: 400,
        title: 'Bad Request',
        detail: `Failed to advance the SEND phase: body must be {iun, phase, recIndex?, analogCost?} with phase one of ${phases.join(', ')} and analogCost a non-negative integer (eurocent). Fix the body.`,
      });
    }
    if (b.phase.startsWith('SEND_') && !('analogCost' in b)) {
      return sendProblem(res, {
        status: 400,
        title: 'Bad Request',
        detail: `Failed to advance the SEND phase: ${b.phase} needs analogCost (eurocent). Add it.`,
      });
    }
    const out = await service.advancePhase(b);
    if (!out.ok) return sendProblem(res, out.problem);
    res.json(out.value);
  });
  mountHttpInjections(control, '/price-injections', injections, 'price');
  control.post('/settle', async (_req, res) => {
    await service.settle();
    res.status(204).end();
  });
  control.post('/reset', (_req, res) => {
    service.reset();
    injections.clear();
    res.status(204).end();
  });

  const router = express.Router();
  router.use('/send', sendRouter(service, injections, rec, opts.onBug));
  control.use(problemErrorHandler(opts.onBug));
  router.use('/_control/send', control);

  return {
    router,
    service,
    setGpdBaseUrl: (url) => service.setGpdBaseUrl(url),
    submit: (r) => service.submit(r),
    request: (id) => service.getRequest(id),
    byIun: (iun) => service.findByIun(iun),
    advancePhase: (r) => service.advancePhase(r),
    cancel: (iun) => service.cancel(iun),
    price: (cf, nav) => service.price(cf, nav),
    costItems: (iun) => service.costItems(iun),
    injectPrice: (i) => injections.add(i),
    clearPriceInjections: () => injections.clear(),
    priceCalls: (noticeCode) => calls({ operation: 'retrieveNotificationPriceV23', noticeNumber: noticeCode }),
    calls,
    settle: async () => {
      await service.settle();
      await rec.idle();
    },
    reset: () => {
      service.reset();
      injections.clear();
    },
    close: () => service.close(),
  };
}
