/**
 * The control APIs describe themselves: `GET /_control` lists the control roots and
 * `GET /_control/<root>` the routes under it, read from the express routers themselves so
 * the listing cannot drift from what is served. Mount `controlIndexRouter(app)` after the parts.
 */
import express, { type Express, type Router } from 'express';

export interface RouteInfo {
  method: string;
  path: string;
}

interface LayerLike {
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: LayerLike[] };
  rawPath?: unknown;
}

function walk(stack: LayerLike[], prefix: string, out: RouteInfo[]): void {
  for (const layer of stack) {
    if (layer.route) {
      if (typeof layer.route.path !== 'string') continue;
      for (const [m, on] of Object.entries(layer.route.methods))
        if (on && m !== '_all') out.push({ method: m.toUpperCase(), path: `${prefix}${layer.route.path}`.replace(/(.)\/$/, '$1') });
    } else if (layer.handle?.stack) {
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      walk(layer.handle.stack, `${prefix}${mount}`, out);
    }
  }
}

/** Every route of a router (nested routers included), with absolute paths. */
export function routesOf(router: Router | Express, prefix = ''): RouteInfo[] {
  const r = router as unknown as { stack?: LayerLike[]; router?: { stack: LayerLike[] } };
  const out: RouteInfo[] = [];
  walk(r.stack ?? r.router?.stack ?? [], prefix, out);
  const seen = new Set<string>();
  return out.filter((x) => {
    const k = `${x.method} ${x.path}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The routes under one control root, e.g. `/_control/nodo`. */
export function controlRoutes(router: Router | Express, root: string): RouteInfo[] {
  return routesOf(router).filter((r) => r.path === root || r.path.startsWith(`${root}/`));
}

/** `GET /_control` (the roots) and `GET /_control/<root>` (its routes) for what `app` serves. */
export function controlIndexRouter(app: Router | Express): Router {
  const r = express.Router();
  const roots = () =>
    [
      ...new Set(
        routesOf(app)
          .map((x) => /^\/_control\/[^/:]+/.exec(x.path)?.[0])
          .filter((x): x is string => !!x),
      ),
    ].sort();
  r.get('/_control', (_req, res) => {
    res.json({ roots: roots().map((root) => ({ root, routes: `GET ${root}` })) });
  });
  r.get('/_control/:root', (req, res, next) => {
    const root = `/_control/${String(req.params['root'])}`;
    if (!roots().includes(root)) return next();
    res.json({ root, routes: controlRoutes(app, root) });
  });
  return r;
}
