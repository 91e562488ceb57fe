/** The few parts of the benchmark-only packages the benches use (they ship no types). */
declare module 'autocannon' {
  namespace autocannon {
    interface Options {
      url: string;
      method?: string;
      body?: string | Buffer;
      headers?: Record<string, string>;
      connections?: number;
      duration?: number;
      amount?: number;
      timeout?: number;
    }
    interface Result {
      requests: { average: number; total: number };
      latency: { p50: number; p99: number };
      duration: number;
      errors: number;
      timeouts: number;
      non2xx: number;
    }
  }
  function autocannon(opts: autocannon.Options, cb: (err: Error | null, result: autocannon.Result) => void): unknown;
  export default autocannon;
}

declare module 'xml2js' {
  export function parseStringPromise(xml: string): Promise<Record<string, unknown>>;
}

declare module 'express4' {
  import type { IncomingMessage, ServerResponse, Server } from 'node:http';
  interface Req extends IncomingMessage {
    body: unknown;
  }
  interface Res extends ServerResponse {
    type(t: string): Res;
    status(n: number): Res;
    send(b: string): Res;
  }
  type Handler = (req: Req, res: Res, next?: () => void) => unknown;
  interface App {
    disable(name: string): void;
    use(h: Handler): void;
    post(path: string, h: Handler): void;
    listen(port: number, host: string, cb: () => void): Server;
  }
  interface Express {
    (): App;
    text(o: { type: () => boolean; limit: string }): Handler;
  }
  const express: Express;
  export default express;
}
