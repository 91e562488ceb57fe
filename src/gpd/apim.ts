/**
 * pagoPA's API gateway (Azure APIM) in front of the REST emulators that need it (ACA's
 * paCreatePosition, GPD's receipts API): subscription keys (header
 * `Ocp-Apim-Subscription-Key` or query `subscription-key`), the ECs a key is enabled
 * for, and the segregation codes APIM adds for that EC (docs/aca-standin.md §2.3, §5.2).
 * The 401/403/429 bodies are APIM's standard ones (inferred: the policy fragments were not read).
 */
import type { Request } from 'express';

export interface Subscription {
  key: string;
  /** ECs the key is enabled for (absent = every EC). */
  fiscalCodes?: string[];
  /** Segregation codes of the subscription for those ECs (APIM passes them as `segregationCodes`); absent = none. */
  segregationCodes?: string[];
}

/** The key the emulators accept when none is configured: enabled for every EC, no segregation codes. */
export const DEFAULT_SUBSCRIPTION_KEY = 'harness-subscription-key';
export const DEFAULT_SUBSCRIPTIONS: readonly Subscription[] = [{ key: DEFAULT_SUBSCRIPTION_KEY }];

export type KeyCheck = { ok: true; subscription: Subscription } | { ok: false; why: 'missing' | 'invalid' };

export function subscriptionKeyOf(req: Request): string | undefined {
  const h = req.headers['ocp-apim-subscription-key'];
  const header = Array.isArray(h) ? h[0] : h;
  const q = req.query['subscription-key'];
  const key = header ?? (typeof q === 'string' ? q : undefined);
  return key === undefined || key === '' ? undefined : key;
}

export function checkKey(subscriptions: readonly Subscription[], req: Request): KeyCheck {
  const key = subscriptionKeyOf(req);
  if (key === undefined) return { ok: false, why: 'missing' };
  const subscription = subscriptions.find((s) => s.key === key);
  return subscription ? { ok: true, subscription } : { ok: false, why: 'invalid' };
}

export const enabledFor = (s: Subscription, fiscalCode: string): boolean => !s.fiscalCodes || s.fiscalCodes.includes(fiscalCode);

/** The `segregationCodes` query value APIM adds (e.g. `01,02`), or undefined when the subscription has none. */
export const segregationCodesOf = (s: Subscription): string | undefined => (s.segregationCodes?.length ? s.segregationCodes.join(',') : undefined);

/** APIM's own JSON bodies (`{statusCode, message}`). */
export const APIM_BODY = {
  missingKey: {
    statusCode: 401,
    message: 'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.',
  },
  invalidKey: { statusCode: 401, message: 'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.' },
  forbidden: { statusCode: 403, message: 'You are not allowed to access this resource.' },
  rateLimited: (seconds: number) => ({ statusCode: 429, message: `Rate limit is exceeded. Try again in ${seconds} seconds.` }),
} as const;

/** Checks a subscriptions list given over the control API or in options; returns why it is wrong. */
export function subscriptionsProblem(v: unknown): string | undefined {
  if (!Array.isArray(v)) return 'it must be a JSON array of {key, fiscalCodes?, segregationCodes?}';
  for (const [i, s] of v.entries()) {
    const o = s as Record<string, unknown> | null;
    if (!o || typeof o !== 'object' || typeof o['key'] !== 'string' || o['key'] === '') return `item ${i} needs a non-empty string key`;
    for (const k of Object.keys(o)) if (!['key', 'fiscalCodes', 'segregationCodes'].includes(k)) return `item ${i} has an unknown field '${k}'`;
    if (o['fiscalCodes'] !== undefined && !(Array.isArray(o['fiscalCodes']) && o['fiscalCodes'].every((f) => typeof f === 'string' && /^\d{11}$/.test(f))))
      return `item ${i}: fiscalCodes must be a list of 11-digit fiscal codes`;
    if (
      o['segregationCodes'] !== undefined &&
      !(Array.isArray(o['segregationCodes']) && o['segregationCodes'].every((f) => typeof f === 'string' && /^\d{2}$/.test(f)))
    )
      return `item ${i}: segregationCodes must be a list of 2-digit codes`;
  }
  const keys = v.map((s) => (s as Subscription).key);
  const dup = keys.find((k, i) => keys.indexOf(k) !== i);
  return dup !== undefined ? `key '${dup}' is listed twice` : undefined;
}
