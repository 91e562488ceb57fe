/**
 * Two-hop ceiling (with bench/servers/ceiling.ts behind it): an express 5 server that reads
 * the body, POSTs it to the upstream over a keep-alive connection and sends back what the
 * upstream answered. What the mock Nodo does at the least (PSP → Nodo → station → back),
 * without parsing, validating or building anything. Usage: proxy.ts <upstream url>
 */
import express from 'express';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';

const upstream = new URL(process.argv[2] ?? '');
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const app = express();
app.disable('x-powered-by');
app.post('/', express.raw({ type: () => true, limit: '10mb' }), (req, res) => {
  const body = req.body as Buffer;
  // One retry: a keep-alive socket the upstream closed just as it was reused fails at once.
  const forward = (retry: boolean) => {
    const out = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: upstream.pathname,
        method: 'POST',
        agent,
        headers: { 'content-type': 'text/xml; charset=utf-8', 'content-length': body.length },
      },
      (up) => {
        const chunks: Buffer[] = [];
        up.on('data', (c: Buffer) => chunks.push(c));
        up.on('end', () =>
          res
            .status(up.statusCode ?? 502)
            .type('text/xml; charset=utf-8')
            .send(Buffer.concat(chunks)),
        );
      },
    );
    out.on('error', () => (retry ? forward(false) : res.status(502).end()));
    out.end(body);
  };
  forward(true);
});
const s = app.listen(0, '127.0.0.1', () => console.log(`READY http://127.0.0.1:${(s.address() as AddressInfo).port}/`));
process.on('SIGTERM', () => process.exit(0));
