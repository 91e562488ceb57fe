/**
 * Serves a WSDL with its soap:address set to the URL it was asked on, and the XSDs it
 * imports under `/_schemas/...` with the upstream relative layout, so a SOAP client
 * (node-soap, SoapUI, JAX-WS) can load `?wsdl` from our servers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Request, type Response, type Router } from 'express';
import { WSDL_DIR, XSD_DIR } from '../paths.ts';

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

export function externalBase(req: Request): string {
  const host = req.headers.host ?? `127.0.0.1`;
  return `${req.protocol}://${host}`;
}

/** The WSDL text with address and schema imports pointing at this server. */
export function renderWsdl(name: WsdlName, endpointUrl: string, schemasBase: string): string {
  const raw = read(join(WSDL_DIR, `${name}.wsdl`));
  return raw
    .replace(/(<soap:address\s+location=")[^"]*(")/g, `$1${endpointUrl}$2`)
    .replace(/schemaLocation="xsd\/([^"]+)"/g, `schemaLocation="${schemasBase}/wsdl/xsd/$1"`);
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
