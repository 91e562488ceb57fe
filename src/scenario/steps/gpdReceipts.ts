/**
 * Step `gpdReceipts:` — an asynchronous EC reads its receipts from GPD's receipts API over
 * HTTP (docs/aca-standin.md §5.2-5.3): the list (`GET /gpd/payments/{fc}/receipts` with its
 * query) or one receipt (`iuv`: `GET .../receipts/{iuv}`, the stored XML). Checks the
 * HTTP status, fields of the JSON answer, the number of results, and text in the document.
 */
import { DEFAULT_SUBSCRIPTION_KEY } from '../../aca/index.ts';
import { checkFields, fail, pass, type Check, type Matcher } from '../expect.ts';
import type { StepKind } from '../step.ts';
import { defaultEc } from '../model.ts';

interface GpdReceiptsParams {
  fiscalCode?: string;
  /** One receipt by IUV (else the list). */
  iuv?: string;
  /** Query of the list: pageNum, pageSize, debtor, service, from, to, debtorOrIuv, segregationCodes. */
  query?: Record<string, string | number>;
  subscriptionKey?: string | null;
  httpStatus?: number;
  /** Number of results of the list page. */
  count?: number;
  fields?: Record<string, Matcher>;
  /** Texts the stored receipt document must contain. */
  documentContains?: string[];
}

const kind: StepKind = {
  kind: 'gpdReceipts',
  describe:
    "Reads an EC's receipts from GPD's receipts API over HTTP (the list with its query, or one receipt by iuv) and checks status, count, fields and the stored document",
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      fiscalCode: { type: 'string', pattern: '^(\\$\\{[^}]+\\}|[0-9]{11})$' },
      iuv: { type: 'string', minLength: 1 },
      query: { type: 'object', additionalProperties: { type: ['string', 'integer'] } },
      subscriptionKey: { type: ['string', 'null'] },
      httpStatus: { type: 'integer', minimum: 100, maximum: 599 },
      count: { type: 'integer', minimum: 0 },
      fields: { type: 'object', additionalProperties: { $ref: 'urn:pagopa-station-harness:scenario#/$defs/matcher' } },
      documentContains: { type: 'array', items: { type: 'string' } },
    },
  },
  label: (p) => `gpdReceipts ${(p as GpdReceiptsParams | null)?.iuv ?? 'list'}`,
  async run(raw, ctx) {
    const p = ctx.resolve((raw ?? {}) as GpdReceiptsParams);
    const fc = p.fiscalCode ?? defaultEc(ctx.scenario.setup);
    const qs = new URLSearchParams(Object.entries(p.query ?? {}).map(([k, v]) => [k, String(v)])).toString();
    const url = `${ctx.world.baseUrl}/gpd/payments/${fc}/receipts${p.iuv ? `/${encodeURIComponent(p.iuv)}` : ''}${qs ? `?${qs}` : ''}`;
    const key = p.subscriptionKey === undefined ? DEFAULT_SUBSCRIPTION_KEY : p.subscriptionKey;
    let status: number;
    let text: string;
    try {
      const r = await fetch(url, { headers: key ? { 'ocp-apim-subscription-key': key } : {}, signal: ctx.signal });
      status = r.status;
      text = await r.text();
    } catch (e) {
      return { kind: 'error', message: `Failed to call GPD's receipts API: ${(e as Error).message}. Check the world is started.` };
    }
    const l = ctx.step.at.line;
    const expected = p.httpStatus ?? 200;
    const checks: Check[] = [
      status === expected
        ? pass(`GPD receipts answered HTTP ${expected}`, l)
        : fail(
            `GPD receipts answered HTTP ${expected}`,
            { type: 'value', path: 'httpStatus', expected: String(expected), actual: `${status} ${text.slice(0, 300)}` },
            l,
          ),
    ];
    let json: Record<string, unknown> | undefined;
    try {
      json = text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    } catch {
      json = undefined;
    }
    if (p.count !== undefined) {
      const results = Array.isArray(json?.['results'])
        ? (json['results'] as unknown[]).length
        : Array.isArray(json?.['receipts_list'])
          ? (json['receipts_list'] as unknown[]).length
          : 0;
      checks.push(
        results === p.count
          ? pass(`${p.count} receipt(s) listed`, l)
          : fail(`${p.count} receipt(s) listed`, { type: 'count', path: 'results', expected: String(p.count), actual: `${results} ${text.slice(0, 300)}` }, l),
      );
    }
    if (p.fields) checks.push(...checkFields(json ?? {}, p.fields, 'GPD receipts', l));
    for (const t of p.documentContains ?? []) {
      const name = `the stored receipt contains ${t}`;
      checks.push(
        text.includes(t) ? pass(name, l) : fail(name, { type: 'missing', path: 'document', expected: t, actual: text.slice(0, 400) || '(empty)' }, l),
      );
    }
    return { kind: 'done', value: { httpStatus: status, ...(json ?? { document: text }) }, checks };
  },
};
export default kind;
