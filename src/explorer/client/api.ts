/**
 * The explorer's calls: JSON to the control APIs (same origin, Content-Type application/json,
 * as the control protection requires), SOAP to the endpoints, exactly as any client would.
 */
export interface Issue {
  code: string;
  severity: string;
  message: string;
  path: string;
  line: number;
  col: number;
}

export interface Exchange {
  seq: number;
  at: string;
  party: string;
  direction: 'inbound' | 'outbound';
  from: string;
  to: string;
  operation: string;
  url?: string;
  soapAction?: string;
  httpStatus?: number;
  request: string;
  response?: string;
  requestIssues: Issue[];
  responseIssues: Issue[];
  durationMs: number;
  outcome?: string;
  faultCode?: string;
  failure?: string;
  notes: string[];
  meta: Record<string, string | number | boolean | undefined>;
  correlationId?: string;
  origin?: boolean;
}

export interface Validation {
  valid: boolean;
  element?: string;
  problem?: string;
  fault?: { faultcode: string; faultstring: string };
  issues: Issue[];
}

/**
 * The control token, when the server requires one (bound off loopback): `serve` prints the
 * explorer's URL with `#token=<token>`; the fragment never reaches a server. Kept for the tab.
 */
function controlToken(): string | undefined {
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (m) {
    sessionStorage.setItem('control-token', decodeURIComponent(m[1]!));
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem('control-token') ?? undefined;
}
const token = controlToken();
const tokenHeader = (): Record<string, string> => (token ? { 'x-control-token': token } : {});

async function json<T>(res: Response): Promise<T> {
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    throw new Error(`HTTP ${res.status}: ${text.slice(0, 200)}`);
  }
  if (!res.ok) {
    const b = body as { error?: string; detail?: string; issues?: unknown[] };
    throw new Error(b.error ?? b.detail ?? `HTTP ${res.status}`);
  }
  return body as T;
}

export const getJson = <T>(path: string): Promise<T> => fetch(path, { headers: { accept: 'application/json', ...tokenHeader() } }).then((r) => json<T>(r));

export function sendJson<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  return fetch(path, {
    method,
    headers: { accept: 'application/json', 'content-type': 'application/json', ...tokenHeader() },
    body: JSON.stringify(body ?? {}),
  }).then((r) => json<T>(r));
}

export interface SoapAnswer {
  status: number;
  text: string;
  ms: number;
  /** The journal chain of this exchange (X-Harness-Exchange answer header). */
  correlationId?: string;
}

export async function postSoap(path: string, soapAction: string, xml: string): Promise<SoapAnswer> {
  const t0 = performance.now();
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8', SOAPAction: `"${soapAction}"` }, body: xml });
  const text = await res.text();
  return { status: res.status, text, ms: Math.round(performance.now() - t0), correlationId: res.headers.get('x-harness-exchange') ?? undefined };
}

export const validate = (xml: string) => sendJson<Validation>('POST', '/_control/explorer/validate', { xml });
