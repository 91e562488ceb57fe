/**
 * Serves a WSDL with its soap:address set to the URL it was asked on, and the XSDs it
 * imports under `/_schemas/...` with the upstream relative layout, so a SOAP client
 * (node-soap, SoapUI, JAX-WS) can load `?wsdl` from our servers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Request, type Response, type Router } from 'express';
import { WSDL_DIR, XSD_DIR } from '../paths.ts';
import { xmlAttr } from '../xml/index.ts';

export type WsdlName = 'paForNode' | 'nodeForPsp' | 'nodeForPa' | 'pspForNode';

const cache = new Map<string, string>();
function read(path: string): string {
  let s = cache.get(path);
  if (s === undefined) {
    s = readFileSync(path, 'utf8');
    cache.set(path, s);
  }
  return s;
}

/** host[:port] as RFC 3986 allows it in a URL authority: a name or IPv4, or an [IPv6] literal. */
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * `<protocol>://<host>` the client used to reach us. A Host header that is not a host[:port]
 * (markup, quotes, spaces...) is never copied anywhere: the address we were reached on is used instead.
 */
export function externalBase(req: Request): string {
  const given = req.headers.host;
  if (given !== undefined && HOST.test(given)) return `${req.protocol}://${given}`;
  let host = (req.socket.localAddress ?? '127.0.0.1').replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
  if (host.includes(':')) host = `[${host}]`;
  return `${req.protocol}://${host}:${req.socket.localPort ?? 80}`;
}

/** The WSDL text with address and schema imports pointing at this server (values escaped for attributes). */
export function renderWsdl(name: WsdlName, endpointUrl: string, schemasBase: string): string {
  const raw = read(join(WSDL_DIR, `${name}.wsdl`));
  const endpoint = xmlAttr(endpointUrl);
  const schemas = xmlAttr(schemasBase);
  return raw
    .replace(/(<soap:address\s+location=")[^"]*(")/g, (_m, open: string, close: string) => `${open}${endpoint}${close}`)
    .replace(/schemaLocation="xsd\/([^"]+)"/g, (_m, file: string) => `schemaLocation="${schemas}/wsdl/xsd/${file}"`);
}

/** Router for `/_schemas/wsdl/xsd/<file>` and `/_schemas/xsd-common/<file>` (mount at the app root). */
export function schemasRouter(): Router {
  const r = express.Router();
  const send = (dir: string) => (req: Request, res: Response) => {
    const file = String(req.params['file'] ?? '');
    if (!/^[\w.-]+\.xsd$/.test(file)) return res.status(404).type('text/plain').send('not found');
    try {
      res.type('text/xml; charset=utf-8').send(read(join(dir, file)));
    } catch {
      res.status(404).type('text/plain').send(`schema ${file} not found`);
    }
  };
  r.get('/_schemas/wsdl/xsd/:file', send(XSD_DIR));
  r.get('/_schemas/xsd-common/:file', send(join(XSD_DIR, 'xsd-common')));
  return r;
}

/** GET handler answering `?wsdl` on an endpoint path. */
export function wsdlHandler(name: WsdlName) {
  return (req: Request, res: Response, next: express.NextFunction) => {
    if (!('wsdl' in (req.query as object)) && !('WSDL' in (req.query as object))) return next();
    const base = externalBase(req);
    const endpoint = base + req.originalUrl.split('?')[0];
    res.type('text/xml; charset=utf-8').send(renderWsdl(name, endpoint, `${base}/_schemas`));
  };
}
