/**
 * SEND REST emulator (mounted at /send): notification requests v2.6, request status,
 * the v2.3 price API with injectable failures, cancellation and payment events. Every
 * call is recorded in the journal (party `send`).
 */
import express, { type Request, type Response, type Router } from 'express';
import type { HttpInjections } from '../rest/index.ts';
import { jsonBody, problemErrorHandler, sendProblem, validateBody } from '../rest/index.ts';
import { annotate, type RestRecorder } from '../rest/index.ts';
import type { NewNotificationRequest, NotificationRequestRecord } from './sendModel.ts';
import { validateNewNotification } from './sendSchemas.ts';
import type { SendService } from './sendService.ts';

/** NewNotificationRequestStatusResponse: the request plus status, iun when ACCEPTED, errors when REFUSED. */
export function statusBody(r: NotificationRequestRecord): Record<string, unknown> {
  return {
    ...r.request,
    notificationRequestId: r.notificationRequestId,
    notificationRequestStatus: r.status,
    ...(r.status === 'ACCEPTED' ? { iun: r.iun } : {}),
    ...(r.status === 'REFUSED' ? { errors: r.errors } : {}),
    ...(r.status === 'WAITING' ? { retryAfter: 1 } : {}),
    ...(r.findings.length ? { harnessFindings: r.findings } : {}),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function sendRouter(svc: SendService, injections: HttpInjections, rec: RestRecorder, onBug?: (m: string) => void): Router {
  const r = express.Router();

  r.post('/delivery/v2.6/requests', rec.inbound('sendNewNotification'), ...jsonBody(), (req: Request, res: Response) => {
    const body = validateBody<NewNotificationRequest>(validateNewNotification, req.body, 'notification request');
    if (!body.ok) return sendProblem(res, body.problem);
    const out = svc.submit(body.value);
    if (!out.ok) {
      annotate(
        res,
        out.errors.map((e) => e.detail),
      );
      return sendProblem(res, { status: out.status, title: out.status === 409 ? 'Conflict' : 'Bad Request', detail: out.detail, errors: out.errors });
    }
    annotate(res, [`pagoPaIntMode ${out.record.request.pagoPaIntMode}`], {
      notificationRequestId: out.record.notificationRequestId,
      paProtocolNumber: body.value.paProtocolNumber,
    });
    res.status(202).json({
      notificationRequestId: out.record.notificationRequestId,
      paProtocolNumber: body.value.paProtocolNumber,
      idempotenceToken: body.value.idempotenceToken,
    });
  });

  r.get('/delivery/:version/requests', rec.inbound('getNotificationRequestStatus'), (req, res) => {
    const id = req.query['notificationRequestId'];
    if (typeof id !== 'string' || !id) {
      return sendProblem(res, {
        status: 400,
        title: 'Bad Request',
        detail: 'Failed to read the request status: notificationRequestId is missing. Pass ?notificationRequestId=<id from the 202>.',
      });
    }
    const found = svc.getRequest(id);
    if (!found)
      return sendProblem(res, {
        status: 404,
        title: 'Not Found',
        detail: `Failed to find notification request ${id}. Use the notificationRequestId returned by POST /delivery/v2.6/requests.`,
      });
    // The harness findings are in the answer (harnessFindings); the scenario engine takes them from SEND's record, once.
    annotate(res, [], { notificationRequestId: id, notificationRequestStatus: found.status });
    res.json(statusBody(found));
  });

  r.get(
    '/delivery/v2.3/price/:paTaxId/:noticeCode',
    rec.inbound('retrieveNotificationPriceV23', (req) => ({ idPA: String(req.params['paTaxId']), noticeNumber: String(req.params['noticeCode']) })),
    async (req, res) => {
      const paTaxId = String(req.params['paTaxId']);
      const noticeCode = String(req.params['noticeCode']);
      if (!/^\d{11}$/.test(paTaxId) || !/^\d{18}$/.test(noticeCode)) {
        return sendProblem(res, {
          status: 400,
          title: 'Bad Request',
          detail: `Failed to price ${paTaxId}/${noticeCode}: paTaxId must be 11 digits and noticeCode 18 digits. Fix the path.`,
        });
      }
      const inj = injections.take(noticeCode);
      if (inj?.latencyMs) await sleep(inj.latencyMs);
      if (inj?.status) {
        annotate(res, [`injected status ${inj.status}${inj.latencyMs ? ` after ${inj.latencyMs} ms` : ''}`]);
        return sendProblem(res, {
          status: inj.status,
          title: 'Injected failure',
          detail: `Failed to price ${paTaxId}/${noticeCode}: failure injected by the harness.`,
        });
      }
      if (inj?.latencyMs) annotate(res, [`injected latency ${inj.latencyMs} ms`]);
      const out = svc.price(paTaxId, noticeCode);
      if (!out.ok) {
        annotate(res, [out.problem.title]);
        return sendProblem(res, out.problem);
      }
      annotate(res, [`totalPrice ${out.value.totalPrice}`], { totalPrice: out.value.totalPrice, iun: out.value.iun });
      res.json(out.value);
    },
  );

  r.put(
    '/delivery/v2.0/notifications/cancel/:iun',
    rec.inbound('notificationCancellation', (req) => ({ iun: String(req.params['iun']) })),
    async (req, res) => {
      const out = await svc.cancel(String(req.params['iun']));
      if (!out.ok) return sendProblem(res, out.problem);
      res.status(202).json({ status: 'OK', details: [{ code: 'NOTIFICATION_CANCELLATION_ACCEPTED', level: 'INFO', detail: `iun ${out.value.iun}` }] });
    },
  );

  r.post('/delivery/events/payment/pagopa', rec.inbound('paymentEventsRequestPagoPa'), ...jsonBody(), (req, res) => {
    const events = (req.body as { events?: unknown })?.events;
    if (!Array.isArray(events) || !events.length) {
      return sendProblem(res, {
        status: 400,
        title: 'Bad Request',
        detail: 'Failed to record payment events: body must be {events: [{noticeCode, creditorTaxId, paymentDate, amount}]}. Fix the body.',
      });
    }
    res.status(204).end();
  });

  r.use((_req, res) =>
    sendProblem(res, { status: 404, title: 'Not Found', detail: 'Failed to route the SEND request: unknown path. See src/send/README.md for the SEND API.' }),
  );
  r.use(problemErrorHandler(onBug));
  return r;
}
