/**
 * PSP verifyPaymentNotice → mock Nodo → reference station → back (two processes, as users
 * run `nodo` and `station`), under load (autocannon, 16 connections), against the two-hop
 * ceiling measured in the same run, rounds interleaved: an express 5 proxy that forwards the
 * body to the one-hop ceiling server and sends back its 1 KB (bench/servers/proxy.ts).
 *
 * Usage: npm run bench:roundtrip [-- --seconds 3 --rounds 7 --connections 16] [--quick]
 */
import { benchArgs, fmt, loadNote, num, row } from './lib/args.ts';
import { notice, positionsYaml } from './lib/fixtures.ts';
import { hammer, interleaved, measured, post, soapHeaders } from './lib/load.ts';
import { OK, verifyReq } from './lib/messages.ts';
import { startPair } from './lib/pair.ts';
import { startServer } from './lib/procs.ts';

const a = benchArgs({ seconds: '3', rounds: '7', connections: '16' }, { seconds: '1', rounds: '1' });
const seconds = num(a.seconds);
const connections = num(a.connections);

const pair = await startPair(positionsYaml(10));
const ceiling = await startServer('ceiling');
const proxy = await startServer('proxy', [ceiling.match[1]!]);
try {
  const body = verifyReq(notice(1));
  await post(pair.nodoUrl, 'verifyPaymentNotice', body, OK);
  const load = (u: string, pids: number[]) => () =>
    measured(pids, async () => {
      const r = await hammer({ url: u, body, headers: soapHeaders('verifyPaymentNotice') }, { connections, seconds });
      if (r.errors || r.non2xx) throw new Error(`Failed to benchmark verifyPaymentNotice at ${u}: ${r.errors} errors, ${r.non2xx} non-2xx answers.`);
      return r;
    });
  console.log(`Round trip PSP → Nodo → station → back, ${connections} connections, ${seconds} s rounds x ${a.rounds} interleaved (${loadNote()})`);
  const m = await interleaved(num(a.rounds), {
    proxy: load(proxy.match[1]!, [proxy.pid, ceiling.pid]),
    nodo: load(pair.nodoUrl, [pair.nodo.pid, pair.station.pid]),
  });
  row('two-hop ceiling (express 5 proxy → express 5, 1 KB)', `${fmt(m.median['proxy']!)} req/s`);
  row('verifyPaymentNotice round trip / two-hop ceiling', `${fmt(m.median['nodo']!)} req/s`, fmt(m.median['proxy']!), m.ratio('nodo', 'proxy'));
  row(
    'round trips per CPU-second of both processes / two-hop ceiling',
    fmt(m.medianPerCpu['nodo']!),
    fmt(m.medianPerCpu['proxy']!),
    m.cpuRatio('nodo', 'proxy'),
  );
} finally {
  await Promise.all([pair.stop(), ceiling.stop(), proxy.stop()]);
}
