/**
 * Protection of EVERY JSON control API (`/_control/...`: nodo, receipts, stations, send,
 * gpd, journal and any future one): ONE middleware that whoever builds an app (a world,
 * the `nodo` and `station` commands, `serve`) mounts once, in front of all control
 * routers, with `access.mount(app)` (= `app.use(CONTROL_ROOT, access.guard)`). Routers
 * never protect themselves: a new control route under /_control is covered by mounting.
 * They fail closed instead: each part's control router starts with `requireControlGuard`,
 * which answers 500 (our bug, named) when the app that mounts it forgot the guard.
 *
 * Contract (scripts, CI, and the explorer page served from the same origin):
 * - **Off**: `enabled: false` (`--no-control`): every /_control request is answered 404.
 * - **Token**: required whenever one is configured, and one always is when the server
 *   listens off loopback (`resolveControlToken` generates one when `--control-token` was
 *   not given; the command prints it). Send `Authorization: Bearer <token>` or
 *   `X-Control-Token: <token>`; missing or wrong → 401. On loopback without a configured
 *   token none is needed.
 * - **Host** (DNS rebinding): the Host header must name loopback (`localhost`, 127.x,
 *   `::1`), an IP literal, the bound host or an `allowedHosts` entry; an attacker's name
 *   that resolves to this machine is refused → 403.
 * - **Origin** (CSRF, rebinding): absent (curl, scripts, Node) or the request's own origin
 *   (`http(s)://<Host>`); another origin, `null`, or `Sec-Fetch-Site: cross-site|same-site`
 *   → 403. No CORS header is ever sent, so preflights fail and other pages cannot read.
 * - **Bodies**: a request other than GET/HEAD/OPTIONS that has a body or a Content-Type
 *   must be JSON (`application/json`, `application/*+json`) or YAML (`application/yaml`,
 *   `application/x-yaml`, `text/yaml`): types a browser cannot send cross-site without a
 *   preflight. `text/plain`, forms and multipart (what a hostile page can post) → 415.
 * - **Read-outs**: every JSON answer under /_control has its secrets masked (mask.ts):
 *   `password` keys (registry) and `<password>` element texts (journal bodies).
 *
 * A same-origin page (the `serve` explorer) works as is on loopback: its fetches carry
 * Origin = its own origin = Host. When a token is required, the server embeds
 * `access.token` in the page it serves (only to requests for which `access.hostAllowed`
 * is true, so a rebinding page cannot fetch it) or the printed URL carries it in the
 * fragment (`#token=…`, never sent to servers); the page sends it as `X-Control-Token`
 * on each fetch, with `Content-Type: application/json` on each body.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import { maskSecrets } from './mask.ts';

/** Where every control API lives. */
export const CONTROL_ROOT = '/_control';
/** The header a page or script sends the token in (or `Authorization: Bearer`). */
export const CONTROL_TOKEN_HEADER = 'x-control-token';

export interface ControlAccessOptions {
  /** The interface the server listens on (`127.0.0.1`, `0.0.0.0`, `::`, a name). */
  host: string;
  /** The token every control request must carry; see resolveControlToken for off-loopback binds. */
  token?: string;
  /** false: the control routes are off (404). Default true. */
  enabled?: boolean;
  /** More Host names to accept (e.g. the name a container is reached by). */
  allowedHosts?: string[];
}

export interface ControlAccess {
  readonly enabled: boolean;
  /** The token required, if any. */
  readonly token: string | undefined;
  /** The middleware; mount it at CONTROL_ROOT (see `mount`). */
  readonly guard: RequestHandler;
  /** `app.use(CONTROL_ROOT, guard)`: call before mounting any router that serves control routes. */
  mount(app: Express): void;
  /** Whether the request's Host header is one this server accepts (use it on pages that embed the token). */
  hostAllowed(req: IncomingMessage): boolean;
}

const LOOPBACK_NAMES = new Set(['localhost', 'ip6-localhost', 'ip6-loopback']);

/** Whether a bind address or host name is loopback only. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (LOOPBACK_NAMES.has(h)) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (h.startsWith('::ffff:')) return isIP(h.slice(7)) === 4 && h.slice(7).startsWith('127.');
  return h === '::1' || h === '0:0:0:0:0:0:0:1';
}

/**
 * The token for a server bound to `host`: the one given, else a generated one when the
 * host is not loopback (the caller prints it), else none.
 */
export function resolveControlToken(host: string, given?: string): { token?: string; generated: boolean } {
  if (given !== undefined && given !== '') return { token: given, generated: false };
  if (isLoopback(host)) return { generated: false };
  return { token: randomBytes(24).toString('base64url'), generated: true };
}

/** The host name of a Host header (`[::1]:80` → `::1`, `Example.org:8080` → `example.org`). */
function hostName(header: string): string {
  const v = header.trim().toLowerCase();
  if (v.startsWith('[')) return v.slice(1, v.indexOf(']') > 0 ? v.indexOf(']') : undefined);
  const colon = v.lastIndexOf(':');
  return colon > 0 && v.indexOf(':') === colon ? v.slice(0, colon) : v;
}

const digest = (s: string) => createHash('sha256').update(s).digest();
const sameSecret = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const BODY_TYPES = [/^application\/json$/, /^application\/[\w.+-]+\+json$/, /^application\/(x-)?yaml$/, /^text\/yaml$/];

function tokenOf(req: Request): string | undefined {
  const auth = req.headers.authorization;
  if (auth && /^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, '').trim();
  const h = req.headers[CONTROL_TOKEN_HEADER];
  return typeof h === 'string' ? h : undefined;
}

function hasBody(req: Request): boolean {
  const len = req.headers['content-length'];
  return (len !== undefined && len !== '0') || req.headers['transfer-encoding'] !== undefined;
}

const GUARDED = Symbol.for('station-harness.control-guard');

/**
 * First middleware of every part's control router: refuses to serve a control route the
 * guard did not let through (an app that mounted the part without `access.mount(app)`).
 */
export const requireControlGuard: RequestHandler = (req, res, next) => {
  if ((req as unknown as Record<symbol, unknown>)[GUARDED] === true) return next();
  res.status(500).json({
    error: `Failed to answer ${req.method} ${req.originalUrl.split('?')[0]}: this control route is mounted without the control guard, so it refuses to serve. The server that mounts it must call createControlAccess(...).mount(app) before its routers (src/control/guard.ts); this is a bug of that server.`,
  });
};

export function createControlAccess(opts: ControlAccessOptions): ControlAccess {
  const enabled = opts.enabled ?? true;
  const token = opts.token !== undefined && opts.token !== '' ? opts.token : undefined;
  if (enabled && !token && !isLoopback(opts.host))
    throw new Error(`control API on ${opts.host} without a token: call resolveControlToken first (this is a bug of the caller)`);
  const bound = hostName(opts.host);
  const allowed = new Set([...(opts.allowedHosts ?? []).map((h) => hostName(h)), ...(isIP(bound) ? [] : [bound])]);

  function hostAllowed(req: IncomingMessage): boolean {
    const header = req.headers.host;
    if (header === undefined) return true;
    const name = hostName(header);
    return LOOPBACK_NAMES.has(name) || isIP(name) !== 0 || allowed.has(name);
  }

  const refuse = (res: Response, status: number, message: string) => {
    res.status(status).json({ error: message });
  };

  const guard: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    const what = `${req.method} ${CONTROL_ROOT}${req.path === '/' ? '' : req.path}`;
    if (!enabled) return refuse(res, 404, `Failed to answer ${what}: the control API is turned off (--no-control). Restart without --no-control to use it.`);
    if (!hostAllowed(req))
      return refuse(
        res,
        403,
        `Failed to answer ${what}: Host '${req.headers.host}' is not this server's (only loopback names, IP addresses and the bound host are accepted, against DNS rebinding). Use http://127.0.0.1:<port> or the address the server printed.`,
      );
    const origin = req.headers.origin;
    if (origin !== undefined) {
      let ok = false;
      try {
        const u = new URL(origin);
        ok = (u.protocol === 'http:' || u.protocol === 'https:') && u.host.toLowerCase() === String(req.headers.host ?? '').toLowerCase();
      } catch {
        ok = false;
      }
      if (!ok)
        return refuse(
          res,
          403,
          `Failed to answer ${what}: Origin '${origin}' is not this server's origin; control APIs answer only their own pages and non-browser clients. Call it from a script or from a page served by this server.`,
        );
    }
    const site = req.headers['sec-fetch-site'];
    if (site === 'cross-site' || site === 'same-site')
      return refuse(res, 403, `Failed to answer ${what}: a ${site} browser request. Call it from a script or from a page served by this server.`);
    if (token !== undefined) {
      const given = tokenOf(req);
      if (given === undefined || !sameSecret(given, token))
        return refuse(
          res,
          401,
          `Failed to answer ${what}: ${given === undefined ? 'no control token was sent' : 'the control token is wrong'}. Send the token the server printed (or its --control-token) as 'Authorization: Bearer <token>' or 'X-Control-Token: <token>'.`,
        );
    }
    if (!SAFE_METHODS.has(req.method)) {
      const type = req.headers['content-type'];
      const media = type?.split(';')[0]?.trim().toLowerCase();
      if ((type !== undefined || hasBody(req)) && !(media && BODY_TYPES.some((re) => re.test(media))))
        return refuse(
          res,
          415,
          `Failed to answer ${what}: the body is ${media ? `'${media}'` : 'of no declared type'}; control APIs take JSON (or YAML for positions) only, never forms or text/plain. Send Content-Type: application/json.`,
        );
    }
    const json = res.json.bind(res);
    res.json = (body: unknown) => json(maskSecrets(body));
    (req as unknown as Record<symbol, unknown>)[GUARDED] = true;
    next();
  };

  return {
    enabled,
    token,
    guard,
    mount(app) {
      app.use(CONTROL_ROOT, guard);
    },
    hostAllowed,
  };
}
