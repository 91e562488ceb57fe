/**
 * Test support: a station that misbehaves at the transport level, written on a raw TCP
 * server (no HTTP library on its side, so it can send what no HTTP server would): garbage
 * status lines, header floods, bodies cut off or endless, bodies dripped in, re-encoded
 * answers. Requests it does not break are forwarded to a real (reference) station and its
 * answer is relayed, so the broken answer can be the one of a single operation of a flow.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { NS } from '../../src/xml/schemas.ts';

/** What the station does with one request. */
export type FaultMode =
  | 'pass'
  | 'silent'
  | 'resetMidBody'
  | 'drip'
  | 'empty200'
  | 'html500'
  | 'redirect302'
  | 'json'
  | 'soap12'
  | 'wrongElement'
  | 'huge20MB'
  | 'endless'
  | 'headerFlood'
  | 'garbageStatus'
  | 'utf16'
  | 'latin1'
  | 'textHtml';

export interface RawRequest {
  path: string;
  soapAction: string;
  body: Buffer;
}

export interface RawStation {
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** Chooses the mode of each request (by its SOAPAction, e.g. only paSendRTV2). */
  setMode(fn: (r: RawRequest) => FaultMode): void;
  /** Requests received so far, by SOAPAction. */
  received: string[];
  close(): Promise<void>;
}

const CRLF = '\r\n';

function head(status: string, headers: Record<string, string | number>): string {
  return `HTTP/1.1 ${status}${CRLF}${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}${CRLF}`)
    .join('')}${CRLF}`;
}

/** An answer of the real station, as bytes and Content-Type. */
type Forward = (r: RawRequest) => Promise<{ status: number; contentType: string; body: Buffer }>;

/** Re-encodes a UTF-8 XML answer: the XML declaration names the new encoding. */
function reencode(xml: string, encoding: 'UTF-16' | 'ISO-8859-1'): Buffer {
  const declared = xml.replace(/^<\?xml[^>]*\?>/, `<?xml version="1.0" encoding="${encoding}"?>`);
  if (encoding === 'UTF-16') return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(declared, 'utf16le')]);
  return Buffer.from(declared, 'latin1');
}

/**
 * Starts the station. `forward(r)` gives the real answer (used by pass, the re-encoded
 * modes, soap12 and textHtml).
 */
export async function startRawStation(forward: Forward): Promise<RawStation> {
  let mode: (r: RawRequest) => FaultMode = () => 'pass';
  const received: string[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  async function answer(socket: Socket, r: RawRequest): Promise<void> {
    const m = mode(r);
    const write = (data: string | Buffer) => {
      if (!socket.destroyed) socket.write(data);
    };
    const finish = (status: string, contentType: string, body: Buffer | string) => {
      const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      write(head(status, { 'Content-Type': contentType, 'Content-Length': bytes.length, Connection: 'close' }));
      write(bytes);
      socket.end();
    };
    switch (m) {
      case 'silent':
        return; // never a byte; the socket stays open until the caller gives up
      case 'resetMidBody':
        write(head('200 OK', { 'Content-Type': 'text/xml; charset=utf-8', 'Content-Length': 5000 }));
        write(`<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="${NS.soap11}"><soapenv:Body>`);
        setImmediate(() => socket.resetAndDestroy());
        return;
      case 'drip': {
        write(head('200 OK', { 'Content-Type': 'text/xml; charset=utf-8', 'Content-Length': 100_000 }));
        const t = setInterval(() => (socket.destroyed ? clearInterval(t) : write(' ')), 20);
        timers.add(t);
        return;
      }
      case 'empty200':
        return finish('200 OK', 'text/xml; charset=utf-8', '');
      case 'html500':
        return finish(
          '500 Internal Server Error',
          'text/html',
          '<!DOCTYPE html>\n<html><head><title>Internal Server Error</title></head><body><h1>500</h1><p>java.lang.NullPointerException</p></body></html>',
        );
      case 'redirect302':
        write(head('302 Found', { Location: 'http://127.0.0.1:1/elsewhere', 'Content-Length': 0, Connection: 'close' }));
        socket.end();
        return;
      case 'json':
        return finish('200 OK', 'application/json', '{"outcome":"OK","fiscalCodePA":"77777777777"}');
      case 'wrongElement':
        return finish(
          '200 OK',
          'text/xml; charset=utf-8',
          `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${NS.soap11}"><soapenv:Body><pafn:paDemandPaymentNoticeResponse xmlns:pafn="${NS.paForNode}"><outcome>OK</outcome></pafn:paDemandPaymentNoticeResponse></soapenv:Body></soapenv:Envelope>`,
        );
      case 'huge20MB': {
        const size = 20 * 1024 * 1024;
        write(head('200 OK', { 'Content-Type': 'text/xml; charset=utf-8', 'Content-Length': size, Connection: 'close' }));
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let sent = 0;
        const pump = () => {
          while (sent < size && !socket.destroyed) {
            sent += chunk.length;
            if (!socket.write(chunk)) return void socket.once('drain', pump);
          }
          if (!socket.destroyed) socket.end();
        };
        pump();
        return;
      }
      case 'endless': {
        write(head('200 OK', { 'Content-Type': 'text/xml; charset=utf-8', 'Transfer-Encoding': 'chunked' }));
        const chunk = Buffer.from(`10000${CRLF}${' '.repeat(0x10000)}${CRLF}`);
        const pump = () => {
          while (!socket.destroyed) if (!socket.write(chunk)) return void socket.once('drain', pump);
        };
        pump();
        return;
      }
      case 'headerFlood': {
        let flood = `HTTP/1.1 200 OK${CRLF}Content-Type: text/xml${CRLF}`;
        for (let i = 0; i < 2000; i++) flood += `X-Flood-${i}: ${'a'.repeat(100)}${CRLF}`;
        write(flood + CRLF);
        socket.end();
        return;
      }
      case 'garbageStatus':
        write(`HELLO THERE, NOT HTTP AT ALL${CRLF}${CRLF}<outcome>OK</outcome>`);
        socket.end();
        return;
      default: {
        const real = await forward(r);
        const xml = real.body.toString('utf8');
        if (m === 'utf16') return finish(`${real.status} OK`, 'text/xml; charset=UTF-16', reencode(xml, 'UTF-16'));
        if (m === 'latin1') return finish(`${real.status} OK`, 'text/xml', reencode(xml, 'ISO-8859-1'));
        if (m === 'soap12') return finish(`${real.status} OK`, 'text/xml; charset=utf-8', xml.replaceAll(NS.soap11, NS.soap12));
        if (m === 'textHtml') return finish(`${real.status} OK`, 'text/html; charset=utf-8', real.body);
        return finish(`${real.status} OK`, real.contentType, real.body);
      }
    }
  }

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const header = buf.subarray(0, end).toString('latin1');
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(header)?.[1] ?? 0);
      if (buf.length < end + 4 + length) return;
      const body = buf.subarray(end + 4, end + 4 + length);
      buf = Buffer.alloc(0);
      const path = /^POST (\S+)/.exec(header)?.[1] ?? '/';
      const soapAction = (/\r\nsoapaction:\s*"?([^"\r\n]*)"?/i.exec(header)?.[1] ?? '').trim();
      received.push(soapAction);
      void answer(socket, { path, soapAction, body }).catch(() => socket.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    setMode(fn) {
      mode = fn;
    },
    received,
    async close() {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
