/**
 * Load from autocannon (pinned devDependency), in the bench process. Each figure is the
 * median of rounds interleaved with its reference, so a change in the machine's load
 * hits both sides of a ratio.
 */
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';

export interface Target {
  url: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  method?: 'POST' | 'GET';
}

export interface LoadResult {
  rps: number;
  /** Requests answered. */
  requests: number;
  errors: number;
  non2xx: number;
  p50: number;
  p99: number;
}

export function hammer(t: Target, o: { connections?: number; seconds?: number; amount?: number; timeoutS?: number }): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const opts = {
      url: t.url,
      method: t.method ?? (t.body ? 'POST' : 'GET'),
      body: t.body,
      headers: t.headers,
      connections: o.connections ?? 16,
      ...(o.amount ? { amount: o.amount } : { duration: o.seconds ?? 5 }),
      timeout: o.timeoutS ?? 30,
    } as autocannon.Options;
    autocannon(opts, (err, r) => {
      if (err) return reject(err);
      resolve({
        rps: r.requests.average || r.requests.total / Math.max(r.duration, 0.001),
        requests: r.requests.total,
        errors: r.errors + r.timeouts,
        non2xx: r.non2xx,
        p50: r.latency.p50,
        p99: r.latency.p99,
      });
    });
  });
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * One round of a contender: its rate (requests/s, wall clock) and, when the servers' processes
 * are known, the requests served per CPU-second they used (user + sys from /proc). On a machine
 * shared with other work the rate follows the load; the CPU cost per request hardly does, so its
 * ratio says what the rates' ratio would be where the servers have the cores to themselves.
 */
export interface Measured {
  rate: number;
  perCpuSecond?: number;
}

/** CPU seconds (user + sys) a process has used so far, from /proc/<pid>/stat (clock ticks of 10 ms). */
export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

/** Runs `load` and measures the CPU the processes `pids` used meanwhile. */
export async function measured(pids: number[], load: () => Promise<LoadResult>): Promise<Measured> {
  const cpu = () => pids.reduce((t, p) => t + cpuSecondsOf(p), 0);
  const before = cpu();
  const r = await load();
  const used = cpu() - before;
  return { rate: r.rps, ...(used > 0 ? { perCpuSecond: r.requests / used } : {}) };
}

/** What `interleaved` measured: each contender's median, and ratios taken round by round. */
export interface Rounds {
  median: Record<string, number>;
  /** Median requests per CPU-second of the contender's servers (when measured). */
  medianPerCpu: Record<string, number>;
  /**
   * `a / b` as the median of the ratios of the same round (a and b measured one after the
   * other), with their spread: `0.45 (0.41-0.52 over 5 rounds)`. Pairing by round keeps a
   * change of the machine's load (other processes) out of the ratio better than a ratio of
   * medians taken from different rounds.
   */
  ratio(a: string, b: string): string;
  /** The same for requests per CPU-second of the servers (`''` when not measured). */
  cpuRatio(a: string, b: string): string;
}

const pairedRatio = (xs: number[], ys: number[]): string => {
  const rs = xs.map((x, i) => x / ys[i]!).filter((r) => Number.isFinite(r));
  if (!rs.length) return '';
  const spread = rs.length > 1 ? ` (${Math.min(...rs).toFixed(2)}-${Math.max(...rs).toFixed(2)} over ${rs.length} rounds)` : '';
  return `${median(rs).toFixed(2)}${spread}`;
};

/**
 * Runs every contender once per round, rounds interleaved (a b c, a b c, ...), and returns
 * each one's median and their ratios round by round.
 */
export async function interleaved(rounds: number, contenders: Record<string, () => Promise<number | Measured>>): Promise<Rounds> {
  const got: Record<string, number[]> = {};
  const perCpu: Record<string, number[]> = {};
  for (let r = 0; r < rounds; r++) {
    for (const [name, run] of Object.entries(contenders)) {
      const m = await run();
      got[name] ??= [];
      got[name].push(typeof m === 'number' ? m : m.rate);
      perCpu[name] ??= [];
      perCpu[name].push(typeof m === 'number' ? NaN : (m.perCpuSecond ?? NaN));
    }
  }
  return {
    median: Object.fromEntries(Object.entries(got).map(([k, v]) => [k, median(v)])),
    medianPerCpu: Object.fromEntries(Object.entries(perCpu).map(([k, v]) => [k, median(v)])),
    ratio: (a, b) => pairedRatio(got[a]!, got[b]!),
    cpuRatio: (a, b) => pairedRatio(perCpu[a]!, perCpu[b]!),
  };
}

/** One SOAP POST through fetch: the answer text, after checking it has `expect` (e.g. `<outcome>OK</outcome>`). */
/**
 * The PSP side of the payment benchmarks: node:http on a keep-alive agent rather than fetch (undici),
 * which cost the load generator, sharing the 2 cores with the servers it measures, about twice the
 * CPU per request.
 */
const keepAlive = new Agent({ keepAlive: true, maxSockets: 64 });

export function post(url: string, soapAction: string, body: string, expect?: RegExp): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: keepAlive,
        headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: soapAction, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('error', reject);
        res.on('end', () => {
          if (expect && !expect.test(text))
            reject(
              new Error(`Failed to benchmark ${soapAction} at ${url}: the answer (HTTP ${res.statusCode}) does not match ${expect}: ${text.slice(0, 600)}`),
            );
          else resolve(text);
        });
      },
    );
    req.on('error', (e) => reject(new Error(`Failed to benchmark ${soapAction} at ${url}: ${e.message}`)));
    req.end(body);
  });
}

export const soapHeaders = (action: string) => ({ 'content-type': 'text/xml; charset=utf-8', soapaction: action });
