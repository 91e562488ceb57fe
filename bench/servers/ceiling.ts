/**
 * One-hop ceiling: a trivial express 5 server that reads the body and sends 1 KB of XML.
 * No parsing, no validation: the most any express server can do on this machine.
 * Prints `READY <url>`.
 */
import express from 'express';
import type { AddressInfo } from 'node:net';

const KB = `<?xml version="1.0" encoding="UTF-8"?><r>${'x'.repeat(1024 - 48)}</r>`;
const app = express();
app.disable('x-powered-by');
app.post('/', express.raw({ type: () => true, limit: '10mb' }), (_req, res) => {
  res.type('text/xml; charset=utf-8').send(KB);
});
const s = app.listen(0, '127.0.0.1', () => console.log(`READY http://127.0.0.1:${(s.address() as AddressInfo).port}/`));
process.on('SIGTERM', () => process.exit(0));
