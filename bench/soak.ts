/**
 * Soak: 300,000 verifyPaymentNotice round trips (PSP → mock Nodo → station → back, autocannon,
 * 16 connections) in slices; RSS of the Nodo and of the station after the first slice, the
 * largest seen and after the last, and the throughput of the last slice / the first.
 * Bounded means the last RSS near the first (the journal is a ring with a byte budget,
 * sessions and receipts retire on the clock).
 *
 * Usage: npm run bench:soak [-- --requests 300000 --slices 30] [--quick]
 */
import { benchArgs, fmt, loadNote, num, ratio, row } from './lib/args.ts';
import { notice, positionsYaml } from './lib/fixtures.ts';
import { hammer, post, soapHeaders } from './lib/load.ts';
import { OK, verifyReq } from './lib/messages.ts';
import { startPair } from './lib/pair.ts';

const a = benchArgs({ requests: '300000', slices: '30' }, { requests: '6000', slices: '6' });
const total = num(a.requests);
const slices = num(a.slices);
const pair = await startPair(positionsYaml(10), { nodo: { env: { HARNESS_LOG_LEVEL: 'warn' } }, station: { env: { HARNESS_LOG_LEVEL: 'warn' } } });
try {
  const body = verifyReq(notice(1));
  await post(pair.nodoUrl, 'verifyPaymentNotice', body, OK);
  console.log(`Soak: ${fmt(total)} verify round trips in ${slices} slices (${loadNote()})`);
  const rss = { nodo: [] as number[], station: [] as number[] };
  const rates: number[] = [];
  for (let i = 0; i < slices; i++) {
    const r = await hammer({ url: pair.nodoUrl, body, headers: soapHeaders('verifyPaymentNotice') }, { amount: Math.round(total / slices), connections: 16 });
    if (r.errors || r.non2xx) throw new Error(`Failed during the soak: ${r.errors} errors, ${r.non2xx} non-2xx.`);
    rates.push(r.rps);
    rss.nodo.push(pair.nodo.rssMb());
    rss.station.push(pair.station.rssMb());
  }
  for (const who of ['nodo', 'station'] as const) {
    const xs = rss[who];
    row(
      `RSS of the ${who === 'nodo' ? 'mock Nodo' : 'station'}: first slice / max / last`,
      `${fmt(xs[0]!)} / ${fmt(Math.max(...xs))} / ${fmt(xs.at(-1)!)} MB`,
      `${fmt(xs[0]!)} MB`,
      ratio(xs.at(-1)!, xs[0]!),
    );
    // Flat once the journal's ring is full (10,000 records, reached within the first tenth): the second half against its start.
    const mid = xs[Math.floor(xs.length / 2)]!;
    row(`  ${who === 'nodo' ? 'mock Nodo' : 'station'}: last / at half-way (steady state)`, `${fmt(xs.at(-1)!)} MB`, `${fmt(mid)} MB`, ratio(xs.at(-1)!, mid));
  }
  row('round trips/s: last slice / first slice', `${fmt(rates.at(-1)!)} req/s`, fmt(rates[0]!), ratio(rates.at(-1)!, rates[0]!));
} finally {
  await pair.stop();
}
