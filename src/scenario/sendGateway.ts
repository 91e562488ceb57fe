/**
 * The SEND gateway of `run --send-port`: ONE well-known address for SEND's REST API
 * (the price API a SYNC station calls while answering the Nodo), in front of the
 * per-scenario worlds that each listen on an ephemeral port. A user's station is
 * configured once with `http://<host>:<port>/send` (or the bare `http://<host>:<port>`:
 * both `/send/delivery/...` and `/delivery/...` are accepted) and every call is answered
 * by the SEND emulator of the scenario running at that moment, so it is recorded in that
 * scenario's journal like the reference station's calls.
 *
 * A call is attributable to one scenario only if one runs at a time: runScenarios refuses
 * a gateway with more than one job. With no scenario running, the gateway answers 503.
 *
 * The gateway forwards SEND's API and nothing else (it may listen on 0.0.0.0 for a station
 * in a container): a path is mapped to `/send/delivery/...` or refused, and a path with a
 * dot segment or an encoded dot, slash or backslash is refused before anything is
 * resolved, so `/send/../_control/...` never reaches the world's control API.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ERR, HarnessError } from '../errors.ts';
import type { World } from '../world.ts';

export interface SendGateway {
  /** `http://<host>:<port>/send`: the SEND base URL to configure in the station under test. */
  readonly url: string;
  /** Routes calls to this world until the returned function is called. */
  attach(world: World): () => void;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'content-length']);

const TITLES: Record<number, string> = { 400: 'Bad Request', 404: 'Not Found', 502: 'Bad Gateway', 503: 'Service Unavailable' };

function problem(res: ServerResponse, status: number, detail: string): void {
  res.writeHead(status, { 'content-type': 'application/problem+json' });
  res.end(JSON.stringify({ type: 'about:blank', status, title: TITLES[status] ?? 'Error', detail }));
}

/** SEND's REST API in the world: the only paths the gateway forwards to. */
const SEND_API = '/send/delivery/';

/**
 * The world path a gateway request path maps to (`/send/delivery/...` or `/delivery/...` →
 * `/send/delivery/...`, query kept), or why it is refused: 400 for a traversal attempt, 404
 * for anything outside SEND's API.
 */
export function gatewayPath(raw: string): { ok: true; path: string } | { ok: false; status: 400 | 404; why: string } {
  const q = raw.indexOf('?');
  const pathname = q < 0 ? raw : raw.slice(0, q);
  const query = q < 0 ? '' : raw.slice(q);
  if (!pathname.startsWith('/') || pathname.includes('\\') || /%(2e|2f|5c)/i.test(pathname) || pathname.split('/').some((seg) => seg === '.' || seg === '..'))
    return { ok: false, status: 400, why: 'the path has a dot segment or an encoded dot, slash or backslash; the SEND address never resolves relative paths' };
  const path = pathname.startsWith(SEND_API) ? pathname : `/send${pathname}`;
  if (!path.startsWith(SEND_API)) return { ok: false, status: 404, why: `only SEND's API (${SEND_API}... or /delivery/...) is served at this address` };
  return { ok: true, path: path + query };
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function startSendGateway(opts: { port: number; host?: string }): Promise<SendGateway> {
  const host = opts.host ?? '127.0.0.1';
  let current: World | undefined;

  const server: Server = createServer((req, res) => {
    void (async () => {
      const world = current;
      const path = req.url ?? '/';
      const mapped = gatewayPath(path);
      if (!mapped.ok) {
        req.resume();
        return problem(
          res,
          mapped.status,
          `Failed to answer ${req.method} ${path}: ${mapped.why}. Call ${SEND_API}... (e.g. /send/delivery/v2.3/price/<paTaxId>/<noticeCode>).`,
        );
      }
      if (!world)
        return problem(
          res,
          503,
          `Failed to answer ${req.method} ${path}: no scenario is running, so no SEND emulator is attached to the harness's SEND address. Calls are answered only while a scenario runs.`,
        );
      const target = `${world.baseUrl}${mapped.path}`;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k) && typeof v === 'string') headers[k] = v;
      const payload = req.method === 'GET' || req.method === 'HEAD' ? undefined : await body(req);
      try {
        const r = await fetch(target, { method: req.method, headers, ...(payload?.length ? { body: new Uint8Array(payload) } : {}) });
        const out = Buffer.from(await r.arrayBuffer());
        const h: Record<string, string> = {};
        r.headers.forEach((v, k) => {
          if (!HOP_BY_HOP.has(k) && k !== 'content-encoding') h[k] = v;
        });
        res.writeHead(r.status, h);
        res.end(out);
      } catch (e) {
        if (!res.headersSent)
          problem(
            res,
            502,
            `Failed to reach the scenario's SEND emulator at ${target}: ${(e as Error).message}. The scenario probably ended while the call was in flight.`,
          );
      }
    })();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new HarnessError(
          ERR.USAGE,
          `Failed to open the SEND address on ${host}:${opts.port}: ${e.code === 'EADDRINUSE' ? 'the port is in use' : e.message}. Pass a free port to --send-port.`,
        ),
      ),
    );
    server.listen(opts.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;

  return {
    url: `http://${shown}:${port}/send`,
    attach(world) {
      current = world;
      return () => {
        if (current === world) current = undefined;
      };
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
