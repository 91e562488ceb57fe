/**
 * The reference station alone, every message validated in and out, under load (autocannon,
 * 16 connections), against two references measured in the same run, rounds interleaved:
 * - the one-hop ceiling: a trivial express 5 server sending 1 KB (bench/servers/ceiling.ts);
 * - the common kind of mock EC station: Express 4 + xml2js, unvalidated (bench/servers/express4Station.ts).
 * Rows: paVerifyPaymentNotice and paGetPaymentV2, as requests/s (wall clock) and as requests per
 * CPU-second of the server process (what the ratio would be with the cores to itself).
 *
 * Usage: npm run bench:station [-- --seconds 3 --rounds 7 --connections 16] [--quick]
 */
import { benchArgs, fmt, loadNote, num, row } from './lib/args.ts';
import { positionsYaml, notice } from './lib/fixtures.ts';
import { hammer, interleaved, measured, post, soapHeaders } from './lib/load.ts';
import { OK, paGetPaymentV2Req, paVerifyReq, STATION } from './lib/messages.ts';
import { startHarness, startServer, stationUrl } from './lib/procs.ts';

const a = benchArgs({ seconds: '3', rounds: '7', connections: '16' }, { seconds: '1', rounds: '1' });
const seconds = num(a.seconds);
const connections = num(a.connections);

const positions = positionsYaml(10);
const [station, ceiling, ex4] = await Promise.all([
  startHarness(['station', '--positions', positions, '--port', '0'], /control API\s+http/),
  startServer('ceiling'),
  startServer('express4Station'),
]);
try {
  const url = stationUrl(station, STATION);
  const ceilingUrl = ceiling.match[1]!;
  const ex4Url = ex4.match[1]!;
  const nn = notice(1);
  console.log(`Station alone, ${connections} connections, ${seconds} s rounds x ${a.rounds} interleaved (${loadNote()})`);
  for (const [op, body] of [
    ['paVerifyPaymentNotice', paVerifyReq(nn)],
    ['paGetPaymentV2', paGetPaymentV2Req(nn)],
  ] as const) {
    await post(url, op, body, OK);
    await post(ex4Url, op, body, OK);
    const load = (u: string, pid: number) => () =>
      measured([pid], async () => {
        const r = await hammer({ url: u, body, headers: soapHeaders(op) }, { connections, seconds });
        if (r.errors || r.non2xx) throw new Error(`Failed to benchmark ${op} at ${u}: ${r.errors} errors, ${r.non2xx} non-2xx answers.`);
        return r;
      });
    const m = await interleaved(num(a.rounds), { ceiling: load(ceilingUrl, ceiling.pid), express4: load(ex4Url, ex4.pid), station: load(url, station.pid) });
    row(`${op}: one-hop ceiling (express 5, 1 KB)`, `${fmt(m.median['ceiling']!)} req/s`);
    row(`${op}: unvalidated Express 4 + xml2js station`, `${fmt(m.median['express4']!)} req/s`);
    row(`${op}: reference station / one-hop ceiling`, `${fmt(m.median['station']!)} req/s`, `${fmt(m.median['ceiling']!)}`, m.ratio('station', 'ceiling'));
    row(
      `${op}: reference station / Express 4 + xml2js station`,
      `${fmt(m.median['station']!)} req/s`,
      `${fmt(m.median['express4']!)}`,
      m.ratio('station', 'express4'),
    );
    const c = m.medianPerCpu;
    row(`${op}: requests per CPU-second, station / one-hop ceiling`, `${fmt(c['station']!)}`, fmt(c['ceiling']!), m.cpuRatio('station', 'ceiling'));
    row(`${op}: requests per CPU-second, station / Express 4 + xml2js`, `${fmt(c['station']!)}`, fmt(c['express4']!), m.cpuRatio('station', 'express4'));
  }
} finally {
  await Promise.all([station.stop(), ceiling.stop(), ex4.stop()]);
}
