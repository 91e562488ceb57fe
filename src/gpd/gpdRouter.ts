/**
 * GPD REST emulator: the subset of pagopa-debt-position an intermediary uses, with
 * pagoPA's resource names, mounted at /gpd. JSON bodies are validated with ajv and
 * every failure is a problem+json body. Every call is recorded in the journal (party `gpd`).
 */
import express, { type Request, type Response, type Router } from 'express';
import type { DebtPositionInput, MapEntry, PaymentOption, PositionStatus } from './gpdModel.ts';
import type { GpdStore } from './gpdStore.ts';
import type { HttpInjections } from '../rest/index.ts';
import { validateDebtPosition, validateNotificationFee } from './gpdSchemas.ts';
import { jsonBody, problemErrorHandler, sendProblem, validateBody, type Outcome } from '../rest/index.ts';
import { annotate, type RestRecorder } from '../rest/index.ts';

const STATUSES: readonly PositionStatus[] = ['DRAFT', 'PUBLISHED', 'VALID', 'INVALID', 'EXPIRED', 'PARTIALLY_PAID', 'PAID'];

/** The payment option as GPD's payments API returns it: NOTIFICATION_FEE always appended to the metadata. */
export function optionWithFeeMetadata(option: PaymentOption): PaymentOption & { paymentOptionMetadata: MapEntry[] } {
  return { ...option, paymentOptionMetadata: [...(option.paymentOptionMetadata ?? []), { key: 'NOTIFICATION_FEE', value: String(option.notificationFee) }] };
}

function reply<T>(res: Response, out: Outcome<T>, status = 200): void {
  if (out.ok) res.status(status).json(out.value);
  else sendProblem(res, out.problem);
}

const p = (req: Request, name: string): string => String(req.params[name] ?? '');
const toPublish = (req: Request): boolean => String(req.query['toPublish'] ?? 'false') === 'true';

export function gpdRouter(store: GpdStore, rec: RestRecorder, feeInjections: HttpInjections, onBug?: (m: string) => void): Router {
  const r = express.Router();
  const base = '/organizations/:fiscalCode';
  const metaOf = (req: Request) => ({
    idPA: p(req, 'fiscalCode'),
    iupd: req.params['iupd'] as string | undefined,
    noticeNumber: req.params['nav'] as string | undefined,
  });

  r.post(`${base}/debtpositions`, rec.inbound('createPosition', metaOf), ...jsonBody(), (req, res) => {
    const serviceType = String(req.query['serviceType'] ?? 'GPD');
    if (serviceType !== 'GPD' && serviceType !== 'ACA') {
      return sendProblem(res, {
        status: 400,
        title: 'Bad Request',
        detail: `Failed to create the debt position: unknown serviceType '${serviceType}'. Use GPD or ACA.`,
      });
    }
    const body = validateBody<DebtPositionInput>(validateDebtPosition, req.body, 'debt position');
    if (!body.ok) return sendProblem(res, body.problem);
    annotate(res, [], { iupd: body.value.iupd });
    reply(res, store.create(p(req, 'fiscalCode'), body.value, { toPublish: toPublish(req), serviceType }), 201);
  });

  r.get(`${base}/debtpositions`, rec.inbound('listPositions', metaOf), (req, res) => {
    const status = req.query['status'] as string | undefined;
    if (status && !STATUSES.includes(status as PositionStatus)) {
      return sendProblem(res, {
        status: 400,
        title: 'Bad Request',
        detail: `Failed to list debt positions: unknown status '${status}'. Use one of ${STATUSES.join(', ')}.`,
      });
    }
    const payments = store.list(p(req, 'fiscalCode'), status as PositionStatus | undefined);
    res.json({ payment_position_list: payments, page_info: { page: 0, limit: payments.length, items_found: payments.length, total_pages: 1 } });
  });

  r.get(`${base}/debtpositions/:iupd`, rec.inbound('getPosition', metaOf), (req, res) => reply(res, store.get(p(req, 'fiscalCode'), p(req, 'iupd'))));

  r.put(`${base}/debtpositions/:iupd`, rec.inbound('updatePosition', metaOf), ...jsonBody(), (req, res) => {
    const body = validateBody<DebtPositionInput>(validateDebtPosition, req.body, 'debt position');
    if (!body.ok) return sendProblem(res, body.problem);
    reply(res, store.update(p(req, 'fiscalCode'), p(req, 'iupd'), body.value, { toPublish: toPublish(req) }));
  });

  r.delete(`${base}/debtpositions/:iupd`, rec.inbound('deletePosition', metaOf), (req, res) => reply(res, store.delete(p(req, 'fiscalCode'), p(req, 'iupd'))));

  r.post(`${base}/debtpositions/:iupd/publish`, rec.inbound('publishPosition', metaOf), (req, res) =>
    reply(res, store.publish(p(req, 'fiscalCode'), p(req, 'iupd'))),
  );

  r.post(`${base}/debtpositions/:iupd/invalidate`, rec.inbound('invalidatePosition', metaOf), (req, res) =>
    reply(res, store.invalidate(p(req, 'fiscalCode'), p(req, 'iupd'))),
  );

  r.get(`${base}/paymentoptions/:nav`, rec.inbound('getPaymentOption', metaOf), (req, res) => {
    const ref = store.findOption(p(req, 'fiscalCode'), p(req, 'nav'));
    if (!ref) {
      return sendProblem(res, {
        status: 404,
        title: 'PAYMENT_OPTION_NOT_FOUND',
        detail: `Failed to find payment option ${p(req, 'nav')} of ${p(req, 'fiscalCode')}: not in GPD. Check the notice number.`,
      });
    }
    res.json({ ...optionWithFeeMetadata(ref.option), iupd: ref.position.iupd, debtPositionStatus: ref.position.status });
  });

  r.put(`${base}/paymentoptions/:nav/notificationfee`, rec.inbound('setNotificationFee', metaOf), ...jsonBody(), async (req, res) => {
    const inj = feeInjections.take(p(req, 'nav'));
    if (inj?.latencyMs) await new Promise((done) => setTimeout(done, inj.latencyMs));
    if (inj?.status) {
      annotate(res, [`injected status ${inj.status}`]);
      return sendProblem(res, {
        status: inj.status,
        title: 'Injected failure',
        detail: `Failed to update the notification fee of ${p(req, 'fiscalCode')}/${p(req, 'nav')}: failure injected by the harness.`,
      });
    }
    const body = validateBody<{ notificationFee: number }>(validateNotificationFee, req.body, 'notification fee');
    if (!body.ok) return sendProblem(res, body.problem);
    const out = store.setNotificationFee(p(req, 'fiscalCode'), p(req, 'nav'), body.value.notificationFee);
    if (!out.ok) return sendProblem(res, out.problem);
    annotate(
      res,
      [`notificationFee ${out.value.previousFee} -> ${out.value.option.notificationFee}${out.value.status === 209 ? ' (payment in progress)' : ''}`],
      {
        notificationFee: out.value.option.notificationFee,
      },
    );
    res.status(out.value.status).json(optionWithFeeMetadata(out.value.option));
  });

  r.use((_req, res) =>
    sendProblem(res, { status: 404, title: 'Not Found', detail: 'Failed to route the GPD request: unknown path. See src/send/README.md for the GPD API.' }),
  );
  r.use(problemErrorHandler(onBug));
  return r;
}
