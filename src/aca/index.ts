/**
 * createAca: the Archivio Centralizzato Avvisi emulator (docs/aca-standin.md §2), one part of the
 * world. `POST /aca/v1/paCreatePosition` runs APIM's gate (subscription key, rate limit,
 * `paFiscalCode` present, key enabled for the EC, segregation codes) then ACA's service,
 * which writes GPD positions of service type ACA into the GPD store, where the Nodo's
 * stand-in serves them. Every call is a journal record (party `aca`). Control API under
 * `/_control/aca`. Switches and defaults: README.md in this folder.
 */
import express, { type Request, type Response, type Router } from 'express';
import type { Clock } from '../clock.ts';
import { requireControlGuard } from '../control/index.ts';
import type { Registry } from '../nodo/index.ts';
import type { Exchange, Journal } from '../soap/index.ts';
import { APIM_BODY, checkKey, DEFAULT_SUBSCRIPTIONS, enabledFor, segregationCodesOf, subscriptionsProblem, type Subscription } from '../gpd/index.ts';
import type { DebtPosition } from '../gpd/index.ts';
import type { GpdStore } from '../gpd/index.ts';
import { annotate, restRecorder } from '../rest/index.ts';
import { debtPositionResponse, paCreatePosition, type AcaAnswer, type AcaServiceOptions } from './paCreatePosition.ts';
import { createRateLimiter, DEFAULT_RATE_LIMIT, type RateLimitOptions } from './rateLimit.ts';

export { iupdOf, localDateTime, debtPositionResponse } from './paCreatePosition.ts';
export type { NewDebtPositionRequest } from './requestSchema.ts';
export { DEFAULT_SUBSCRIPTION_KEY, type Subscription } from '../gpd/index.ts';

export const ACA_PATH = '/aca/v1/paCreatePosition';
export const ACA_CONTROL_PATH = '/_control/aca';

export interface AcaOptions extends Partial<AcaServiceOptions> {
  /** APIM subscriptions (default: one key, `harness-subscription-key`, enabled for every EC). */
  subscriptions?: Subscription[];
  /** A call without a valid key gets APIM's 401 (default true). */
  requireSubscriptionKey?: boolean;
  /** APIM's limit per X-Forwarded-For (default 150 calls / 10 s); false = none. */
  rateLimit?: RateLimitOptions | false;
}

export interface CreateAcaOptions {
  journal: Journal;
  clock: Clock;
  /** The GPD store ACA writes to ("ACA is GPD", docs/aca-standin.md §1). */
  store: GpdStore;
  /** The registry (ECs, their businessName and IBANs), read at every call. */
  registry: () => Registry;
  options?: AcaOptions;
  onBug?: (message: string) => void;
}

export interface Aca {
  router: Router;
  /** The journal records of ACA, oldest first. */
  calls(filter?: { noticeNumber?: string; idPA?: string }): Exchange[];
  /** ACA positions (GPD positions of service type ACA). */
  positions(paFiscalCode?: string): DebtPosition[];
  subscriptions(): Subscription[];
  /** Replaces the subscriptions; returns why they are wrong instead (nothing changed then). */
  setSubscriptions(s: Subscription[]): string | undefined;
  /** Forgets the rate-limit counters (positions live in the GPD store and are reset with it). */
  reset(): void;
  options: Required<AcaOptions>;
}

export function resolveAcaOptions(o: AcaOptions = {}): Required<AcaOptions> {
  return {
    subscriptions: o.subscriptions ?? DEFAULT_SUBSCRIPTIONS.map((s) => ({ ...s })),
    requireSubscriptionKey: o.requireSubscriptionKey ?? true,
    rateLimit: o.rateLimit ?? DEFAULT_RATE_LIMIT,
    navAuxDigit: o.navAuxDigit ?? '3',
    ibanFallback: o.ibanFallback ?? 'aca-label',
    updateDropsFields: o.updateDropsFields ?? false,
  };
}

const json = (res: Response, status: number, body: unknown): void => {
  res.status(status).type('application/json').send(JSON.stringify(body));
};

export function createAca(opts: CreateAcaOptions): Aca {
  const options = resolveAcaOptions(opts.options);
  let subscriptions = options.subscriptions;
  const now = () => opts.clock.now();
  const rec = restRecorder(opts.journal, 'aca', 'ec', now);
  const limiter = createRateLimiter(opts.clock, options.rateLimit);
  const service = { store: opts.store, registry: opts.registry, options };

  const answer = (res: Response, a: AcaAnswer) => {
    annotate(res, a.notes, a.meta);
    if (a.json) json(res, a.status, a.json);
    else res.status(a.status).end();
  };

  function handle(req: Request, res: Response): void {
    let subscription: Subscription | undefined;
    if (options.requireSubscriptionKey) {
      const k = checkKey(subscriptions, req);
      if (!k.ok) {
        annotate(res, [`APIM: ${k.why} subscription key`]);
        json(res, 401, k.why === 'missing' ? APIM_BODY.missingKey : APIM_BODY.invalidKey);
        return;
      }
      subscription = k.subscription;
    }
    const xff = req.headers['x-forwarded-for'];
    const who = (Array.isArray(xff) ? xff[0] : xff)?.split(',')[0]?.trim() || req.socket.remoteAddress || 'unknown';
    const limited = limiter.hit(who);
    if (!limited.ok) {
      annotate(res, [`APIM: rate limit exceeded for ${who}`]);
      res.setHeader('Retry-After', String(limited.retryAfterSeconds));
      json(res, 429, APIM_BODY.rateLimited(limited.retryAfterSeconds));
      return;
    }
    const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    let body: unknown;
    try {
      body = raw.trim() === '' ? undefined : JSON.parse(raw);
    } catch {
      body = undefined;
    }
    // Recorded as JSON text (restJournal reads req.body).
    req.body = body ?? {};
    const fc = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>)['paFiscalCode'] : undefined;
    if (fc === undefined || fc === null) {
      annotate(res, [`APIM: no paFiscalCode in the body${body === undefined && raw.trim() !== '' ? ' (the body is not JSON)' : ''}: plain-text 400`]);
      res.status(400).type('text/plain').send("The 'paFiscalCode' field is missing in the request body.");
      return;
    }
    if (subscription && !enabledFor(subscription, String(fc))) {
      annotate(res, [`APIM: the subscription key is not enabled for EC ${String(fc)}`], { idPA: String(fc) });
      json(res, 403, APIM_BODY.forbidden);
      return;
    }
    answer(res, paCreatePosition(service, body, subscription ? segregationCodesOf(subscription) : undefined));
  }

  const router = express.Router();
  router.post(ACA_PATH, rec.inbound('paCreatePosition'), express.raw({ type: () => true, limit: '1mb' }), handle);

  const control = express.Router();
  control.use(requireControlGuard, express.json({ limit: '1mb' }));
  const calls: Aca['calls'] = (f = {}) =>
    opts.journal.list({ party: 'aca', meta: { ...(f.noticeNumber ? { noticeNumber: f.noticeNumber } : {}), ...(f.idPA ? { idPA: f.idPA } : {}) } });
  const positions: Aca['positions'] = (fc) => opts.store.list(fc).filter((p) => p.serviceType === 'ACA');
  control.get('/calls', (req, res) =>
    res.json(calls({ noticeNumber: req.query['noticeNumber'] as string | undefined, idPA: req.query['paFiscalCode'] as string | undefined })),
  );
  control.get('/positions', (req, res) => {
    const fc = req.query['paFiscalCode'] as string | undefined;
    res.json(positions(fc).map((p) => ({ iupd: p.iupd, payStandIn: p.payStandIn ?? true, position: debtPositionResponse(p, p.organizationFiscalCode) })));
  });
  control.get('/subscriptions', (_req, res) => res.json(subscriptions));
  control.put('/subscriptions', (req, res) => {
    const why = subscriptionsProblem(req.body);
    if (why)
      return json(res, 400, {
        error: `Failed to replace the ACA subscriptions: ${why}. Send [{"key": "...", "fiscalCodes": ["77777777777"], "segregationCodes": ["01"]}].`,
      });
    subscriptions = (req.body as Subscription[]).map((s) => ({ ...s }));
    res.json(subscriptions);
  });
  control.post('/reset', (_req, res) => {
    limiter.reset();
    res.json({ ok: true });
  });
  control.use((err: { status?: number; message?: string }, _req: Request, res: Response, next: (e?: unknown) => void) => {
    if (res.headersSent || typeof err?.status !== 'number' || err.status >= 500) return next(err);
    json(res, err.status, { error: `Failed to read the request body: ${err.message ?? 'refused'}. Send Content-Type: application/json with a JSON body.` });
  });
  router.use(ACA_CONTROL_PATH, control);
  router.use(ACA_PATH, (err: { status?: number; message?: string }, _req: Request, res: Response, next: (e?: unknown) => void) => {
    if (res.headersSent) return next(err);
    if (typeof err?.status === 'number' && err.status < 500)
      return json(res, err.status, { status: err.status, title: 'Bad request', detail: err.message ?? 'refused' });
    opts.onBug?.(`ACA paCreatePosition threw: ${(err as Error)?.message}`);
    json(res, 500, {
      status: 500,
      title: 'Error processing the request',
      detail: 'An internal error of the harness occurred (see its log). Report it with the request.',
    });
  });

  return {
    router,
    calls,
    positions,
    subscriptions: () => subscriptions.map((s) => ({ ...s })),
    setSubscriptions(s) {
      const why = subscriptionsProblem(s);
      if (why) return `Failed to set the ACA subscriptions: ${why}. Fix the list.`;
      subscriptions = s.map((x) => ({ ...x }));
      return undefined;
    },
    reset: () => limiter.reset(),
    options,
  };
}
