/**
 * GPD's receipts API for asynchronous ECs (pagopa-gpd-payments, docs/aca-standin.md §5.2-5.3),
 * mounted at /gpd/payments:
 *   GET /{organizationfiscalcode}/receipts           the EC's receipts, one JSON page
 *   GET /{organizationfiscalcode}/receipts/{iuv}     one stored receipt, application/xml
 * Behind APIM: a missing or unknown subscription key is 401 with no body, a key not
 * enabled for the EC is 403; the subscription's segregation codes filter the IUVs.
 * Errors are Problem JSON `{title, status, detail}`.
 */
import express, { type Request, type Response, type Router } from 'express';
import type { Clock } from '../clock.ts';
import { checkKey, enabledFor, segregationCodesOf, type Subscription } from './apim.ts';
import type { GpdReceipts, ReceiptRow } from './gpdReceipts.ts';
import type { GpdStore } from './gpdStore.ts';
import type { HttpInjections } from '../rest/index.ts';
import { annotate, type RestRecorder } from '../rest/index.ts';

export interface ReceiptsApiOptions {
  /** A call without a valid key gets 401 (default true). */
  requireSubscriptionKey: boolean;
  /** Default window when from/to are missing, in months (PAYMENTS_RECEIPTS_MONTHS_WINDOW, default 3). */
  monthsWindow: number;
  /**
   * No receipt matches (open question 7): 'empty' (default) → 200 with empty `results`;
   * 'error' → 400 "Not enough elements", as the page check reads when there are 0 pages.
   */
  emptyPage: 'empty' | 'error';
  /** 'current' (default, the code since April 2024): `{currentPageNumber, length, totalPages, results}`; 'receipts_list': the older shape of the SANP3.10.0 spec. */
  listShape: 'current' | 'receipts_list';
}

export const DEFAULT_RECEIPTS_API_OPTIONS: ReceiptsApiOptions = { requireSubscriptionKey: true, monthsWindow: 3, emptyPage: 'empty', listShape: 'current' };

export interface ReceiptsApiDeps {
  receipts: GpdReceipts;
  store: GpdStore;
  clock: Clock;
  subscriptions: () => readonly Subscription[];
  /** Storage failures injected by the harness (status 503 by default), matched on the IUV. */
  storageFailures: HttpInjections;
  rec: RestRecorder;
  options: ReceiptsApiOptions;
}

const problem = (res: Response, status: number, title: string, detail: string) => {
  annotate(res, [`${status} ${title}: ${detail}`]);
  res.status(status).type('application/json').send(JSON.stringify({ title, status, detail }));
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

/** A `yyyy-MM-dd` or `yyyy-MM-ddTHH:mm:ss` bound as a local date-time text; a bare date is the day's start (from) or end (to). */
function bound(v: string, end: boolean): string | undefined {
  if (DATE.test(v)) return `${v}T${end ? '23:59:59' : '00:00:00'}`;
  return DATE_TIME.test(v) ? v : undefined;
}

const valid = (t: string) => !Number.isNaN(Date.parse(`${t}Z`));
const localText = (d: Date) => d.toISOString().slice(0, 19);
const plusMonths = (t: string, n: number) => {
  const d = new Date(`${t}Z`);
  d.setUTCMonth(d.getUTCMonth() + n);
  return localText(d);
};

/** The inclusive [from, to] range of the list, or undefined when the dates are wrong (docs/aca-standin.md §5.2). */
export function dateRange(from: string | undefined, to: string | undefined, now: Date, months: number): { from: string; to: string } | undefined {
  const f = from === undefined ? undefined : bound(from, false);
  const t = to === undefined ? undefined : bound(to, true);
  if ((from !== undefined && (!f || !valid(f))) || (to !== undefined && (!t || !valid(t)))) return undefined;
  const nowText = localText(now);
  let range: { from: string; to: string };
  if (f && t) range = { from: f, to: t };
  else if (f) {
    const capped = plusMonths(f, months);
    // biome-ignore lint/complexity/useMathMinMax: ISO date-times compared as text, not numbers
    range = { from: f, to: capped < nowText ? capped : nowText };
  } else if (t) range = { from: plusMonths(t, -months), to: t };
  else range = { from: plusMonths(nowText, -months), to: nowText };
  return range.from > range.to ? undefined : range;
}

function intParam(req: Request, name: string, dflt: number): number | undefined {
  const v = req.query[name];
  if (v === undefined) return dflt;
  return typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : undefined;
}

const q = (req: Request, name: string): string | undefined => (typeof req.query[name] === 'string' ? (req.query[name] as string) : undefined);

export function gpdReceiptsRouter(d: ReceiptsApiDeps): Router {
  const r = express.Router();
  const metaOf = (req: Request) => ({ idPA: String(req.params['fc'] ?? ''), ...(req.params['iuv'] ? { iuv: String(req.params['iuv']) } : {}) });

  /** APIM: key, EC; the segregation codes in force (the subscription's, else a well-formed query value). */
  function gate(req: Request, res: Response): { segregation: string[] } | undefined {
    const fc = String(req.params['fc']);
    let fromKey: string | undefined;
    if (d.options.requireSubscriptionKey) {
      const k = checkKey(d.subscriptions(), req);
      if (!k.ok) {
        annotate(res, [`APIM: ${k.why} subscription key: 401 without body`]);
        res.status(401).end();
        return undefined;
      }
      if (!enabledFor(k.subscription, fc)) {
        problem(res, 403, 'Forbidden', `The subscription key is not enabled for the creditor institution ${fc}.`);
        return undefined;
      }
      fromKey = segregationCodesOf(k.subscription);
    }
    const given = fromKey ?? q(req, 'segregationCodes');
    if (given !== undefined && !/^\d{2}(,\d{2})*$/.test(given)) {
      problem(res, 400, 'Bad Request', `segregationCodes '${given}' must be two-digit codes separated by commas (e.g. 01,02).`);
      return undefined;
    }
    return { segregation: given ? given.split(',') : [] };
  }

  function storageFailure(res: Response, iuv: string): boolean {
    const inj = d.storageFailures.take(iuv);
    if (!inj) return false;
    problem(res, inj.status ?? 503, 'Service Unavailable', 'Failed to read the receipts table: storage error (injected by the harness). Retry later.');
    return true;
  }

  r.get('/:fc/receipts', d.rec.inbound('getOrganizationReceipts', metaOf), (req, res) => {
    const g = gate(req, res);
    if (!g) return;
    const pageNum = intParam(req, 'pageNum', 0);
    const pageSize = intParam(req, 'pageSize', 20);
    if (pageNum === undefined || pageNum < 0)
      return problem(res, 400, 'Bad Request', `pageNum must be an integer >= 0, got '${String(req.query['pageNum'])}'.`);
    if (pageSize === undefined || pageSize < 1 || pageSize > 100)
      return problem(res, 400, 'Bad Request', `pageSize must be an integer from 1 to 100, got '${String(req.query['pageSize'])}'.`);
    const range = dateRange(q(req, 'from'), q(req, 'to'), d.clock.now(), d.options.monthsWindow);
    if (!range) return problem(res, 400, 'Bad Request', 'Invalid date range');
    if (storageFailure(res, '')) return;
    const debtor = q(req, 'debtor');
    const service = q(req, 'service');
    const either = q(req, 'debtorOrIuv');
    const rows = d.receipts.of(String(req.params['fc'])).filter((x: ReceiptRow) => {
      const at = x.paymentDateTime.slice(0, 19);
      return (
        at >= range.from &&
        at <= range.to &&
        (debtor === undefined || x.debtor === debtor) &&
        (service === undefined || x.iuv.startsWith(service)) &&
        (either === undefined || x.iuv.startsWith(either) || x.debtor.startsWith(either)) &&
        (g.segregation.length === 0 || g.segregation.some((c) => x.iuv.startsWith(c)))
      );
    });
    const totalPages = Math.ceil(rows.length / pageSize);
    const emptyOk = rows.length === 0 && d.options.emptyPage === 'empty';
    if (!emptyOk && pageNum >= totalPages) return problem(res, 400, 'Bad Request', 'Not enough elements');
    const page = rows
      .slice(pageNum * pageSize, (pageNum + 1) * pageSize)
      .map((x) => ({ organizationFiscalCode: x.organizationFiscalCode, iuv: x.iuv, debtor: x.debtor, paymentDateTime: x.paymentDateTime, status: x.status }));
    annotate(res, [`${page.length} receipt(s) of ${rows.length} in ${range.from}..${range.to}`]);
    const body =
      d.options.listShape === 'receipts_list' ? { receipts_list: page } : { currentPageNumber: pageNum, length: page.length, totalPages, results: page };
    res.status(200).type('application/json').send(JSON.stringify(body));
  });

  r.get('/:fc/receipts/:iuv', d.rec.inbound('getOrganizationReceipt', metaOf), (req, res) => {
    const g = gate(req, res);
    if (!g) return;
    const fc = String(req.params['fc']);
    const iuv = String(req.params['iuv']);
    if (g.segregation.length && !g.segregation.includes(iuv.slice(0, 2))) return problem(res, 403, 'Forbidden', 'The receipt retrieve is forbidden');
    if (storageFailure(res, iuv)) return;
    const row = d.receipts.get(fc, iuv);
    if (!row) return problem(res, 404, 'Not Found', 'Not found the receipt');
    const ref = d.store.findOption(fc, iuv);
    if (ref && ref.option.status !== 'PO_PAID')
      return problem(
        res,
        422,
        'Unprocessable Entity',
        `The debt position is in an inappropriate state (payment option ${ref.option.nav} is ${ref.option.status})`,
      );
    annotate(res, [`receipt of ${fc}/${iuv} paid ${row.paymentDateTime}`]);
    res.status(200).type('application/xml').send(row.document);
  });
  return r;
}
