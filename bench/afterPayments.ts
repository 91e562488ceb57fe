/**
 * verifyPaymentNotice round trips (PSP → mock Nodo → station → back, autocannon) on a Nodo that
 * has made 14,600 full payments (sessions, idempotency keys, receipts kept) / on a fresh Nodo,
 * rounds interleaved in the same run. Target >= 0.9 (it was 0.014 when every verify scanned
 * every session kept).
 *
 * Usage: npm run bench:after-payments [-- --payments 14600 --workers 16 --seconds 3 --rounds 7] [--quick]
 */
import { benchArgs, fmt, loadNote, num, row } from './lib/args.ts';
import { notice, positionsNdjson } from './lib/fixtures.ts';
import { hammer, interleaved, measured, post, soapHeaders } from './lib/load.ts';
import { OK, verifyReq } from './lib/messages.ts';
import { startPair, type Pair } from './lib/pair.ts';
import { payMany } from './lib/payments.ts';

const a = benchArgs({ payments: '14600', workers: '16', seconds: '3', rounds: '7' }, { payments: '300', seconds: '1', rounds: '1' });
const count = num(a.payments);
const file = await positionsNdjson(count + 10);
const [loaded, fresh] = [
  await startPair(file, { nodo: { env: { HARNESS_LOG_LEVEL: 'warn' } }, station: { env: { HARNESS_LOG_LEVEL: 'warn' } } }),
  await startPair(file, { nodo: { env: { HARNESS_LOG_LEVEL: 'warn' } }, station: { env: { HARNESS_LOG_LEVEL: 'warn' } } }),
];
try {
  console.log(`verify round trip after ${fmt(count)} payments / on a fresh Nodo (${loadNote()})`);
  const started = performance.now();
  const rate = await payMany(loaded.nodoUrl, { from: 1, count, workers: num(a.workers) });
  row(`${fmt(count)} full payments made`, `${fmt((performance.now() - started) / 1000, 1)} s`, undefined, undefined);
  row('  at', `${fmt(rate)}/s`);
  const nn = notice(count + 5); // payable on both
  const verify = (p: Pair) => () =>
    measured([p.nodo.pid, p.station.pid], async () => {
      const r = await hammer(
        { url: p.nodoUrl, body: verifyReq(nn), headers: soapHeaders('verifyPaymentNotice') },
        { seconds: num(a.seconds), connections: 16 },
      );
      if (r.errors || r.non2xx) throw new Error(`Failed to benchmark verify: ${r.errors} errors, ${r.non2xx} non-2xx.`);
      return r;
    });
  await post(loaded.nodoUrl, 'verifyPaymentNotice', verifyReq(nn), OK);
  await post(fresh.nodoUrl, 'verifyPaymentNotice', verifyReq(nn), OK);
  const m = await interleaved(num(a.rounds), { fresh: verify(fresh), loaded: verify(loaded) });
  row('verify round trips on a fresh Nodo', `${fmt(m.median['fresh']!)} req/s`);
  row(`verify round trips after ${fmt(count)} payments / fresh`, `${fmt(m.median['loaded']!)} req/s`, fmt(m.median['fresh']!), m.ratio('loaded', 'fresh'));
  row(
    `verify round trips per CPU-second (Nodo + station), after ${fmt(count)} payments / fresh`,
    fmt(m.medianPerCpu['loaded']!),
    fmt(m.medianPerCpu['fresh']!),
    m.cpuRatio('loaded', 'fresh'),
  );
  row('RSS of the Nodo: after payments, fresh', `${fmt(loaded.nodo.rssMb())} MB, ${fmt(fresh.nodo.rssMb())} MB`);
} finally {
  await Promise.all([loaded.stop(), fresh.stop()]);
}
