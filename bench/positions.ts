/**
 * Positions scale: a station process serving 10k, 100k and 1M notices. For each: time from
 * spawn to ready (URLs printed), RSS once ready, and paVerifyPaymentNotice req/s on a notice
 * near the end (the lookup), each as a ratio to the same station with 10 notices measured in
 * the same run (start-up and RSS: the 10-notice station is the reference; req/s interleaved).
 * Big sets load from NDJSON (station --positions file.ndjson); `--formats yaml,ndjson` also
 * loads YAML where it is not too big (--yaml-max).
 *
 * Usage: npm run bench:positions [-- --sizes 10000,100000,1000000 --formats ndjson,yaml --yaml-max 100000 --seconds 3] [--quick]
 */
import { benchArgs, fmt, loadNote, num, ratio, row } from './lib/args.ts';
import { notice, positionsNdjson, positionsYaml } from './lib/fixtures.ts';
import { hammer, interleaved, post, soapHeaders } from './lib/load.ts';
import { OK, paVerifyReq, STATION } from './lib/messages.ts';
import { startHarness, stationUrl, type Proc } from './lib/procs.ts';

const a = benchArgs(
  { sizes: '10000,100000,1000000', formats: 'ndjson,yaml', 'yaml-max': '100000', seconds: '3', rounds: '5' },
  { sizes: '1000,10000', seconds: '1', rounds: '1' },
);
const sizes = a.sizes.split(',').map(num);
const formats = a.formats.split(',');
const seconds = num(a.seconds);

const start = (file: string) =>
  startHarness(['station', '--positions', file, '--port', '0', '--log-level', 'warn'], /control API\s+http/, { timeoutMs: 600_000 });
const verifyRate = (p: Proc, n: number) => async () => {
  const url = stationUrl(p, STATION);
  const body = paVerifyReq(notice(n));
  const r = await hammer({ url, body, headers: soapHeaders('paVerifyPaymentNotice') }, { seconds, connections: 16 });
  if (r.errors || r.non2xx) throw new Error(`Failed to benchmark paVerifyPaymentNotice: ${r.errors} errors, ${r.non2xx} non-2xx.`);
  return r.rps;
};

console.log(`Positions scale: station start-up, RSS and lookup (${loadNote()})`);
const refFile = positionsYaml(10);
const ref = await start(refFile);
const refRss = ref.rssMb();
row('10 notices (YAML): ready, RSS (reference)', `${fmt(ref.readyMs)} ms, ${fmt(refRss)} MB`);
try {
  for (const size of sizes) {
    for (const format of formats) {
      if (format === 'yaml' && size > num(a['yaml-max'])) continue;
      const file = format === 'yaml' ? positionsYaml(size) : await positionsNdjson(size);
      const p = await start(file);
      try {
        const rss = p.rssMb();
        await post(stationUrl(p, STATION), 'paVerifyPaymentNotice', paVerifyReq(notice(size)), OK);
        const m = await interleaved(num(a.rounds), { ref: verifyRate(ref, 10), big: verifyRate(p, size) });
        row(`${fmt(size)} notices (${format}): ready`, `${fmt(p.readyMs)} ms`, `${fmt(ref.readyMs)} ms`, ratio(p.readyMs, ref.readyMs));
        row(`${fmt(size)} notices (${format}): RSS when ready`, `${fmt(rss)} MB`, `${fmt(refRss)} MB`, ratio(rss, refRss));
        row(`${fmt(size)} notices (${format}): paVerifyPaymentNotice (lookup)`, `${fmt(m.median['big']!)} req/s`, fmt(m.median['ref']!), m.ratio('big', 'ref'));
      } finally {
        await p.stop();
      }
    }
  }
} finally {
  await ref.stop();
}
