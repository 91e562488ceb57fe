/**
 * 1 vs 1,000 stations: paVerifyPaymentNotice req/s on a station process serving 1,000
 * stations (one EC each) / on one serving a single station, rounds interleaved.
 *
 * Usage: npm run bench:stations [-- --stations 1000 --seconds 3 --rounds 7] [--quick]
 */
import { benchArgs, fmt, loadNote, num, ratio, row } from './lib/args.ts';
import { notice, positionsYaml } from './lib/fixtures.ts';
import { hammer, interleaved, post, soapHeaders } from './lib/load.ts';
import { OK, paVerifyReq, STATION } from './lib/messages.ts';
import { startHarness, stationUrl, type Proc } from './lib/procs.ts';

const a = benchArgs({ stations: '1000', seconds: '3', rounds: '7' }, { seconds: '1', rounds: '1' });
const start = (file: string) => startHarness(['station', '--positions', file, '--port', '0', '--log-level', 'warn'], /control API\s+http/);
const [one, many] = [await start(positionsYaml(10)), await start(positionsYaml(10, { stations: num(a.stations) }))];
try {
  const body = paVerifyReq(notice(1));
  const load = (p: Proc) => async () => {
    const r = await hammer({ url: stationUrl(p, STATION), body, headers: soapHeaders('paVerifyPaymentNotice') }, { seconds: num(a.seconds), connections: 16 });
    if (r.errors || r.non2xx) throw new Error(`Failed to benchmark: ${r.errors} errors, ${r.non2xx} non-2xx.`);
    return r.rps;
  };
  await post(stationUrl(many, STATION), 'paVerifyPaymentNotice', body, OK);
  console.log(`1 vs ${fmt(num(a.stations))} stations in one process (${loadNote()})`);
  const m = await interleaved(num(a.rounds), { one: load(one), many: load(many) });
  row('paVerifyPaymentNotice, 1 station', `${fmt(m.median['one']!)} req/s`);
  row(`paVerifyPaymentNotice, ${fmt(num(a.stations))} stations / 1`, `${fmt(m.median['many']!)} req/s`, fmt(m.median['one']!), m.ratio('many', 'one'));
  row(`ready: ${fmt(num(a.stations))} stations / 1`, `${fmt(many.readyMs)} ms`, `${fmt(one.readyMs)} ms`, ratio(many.readyMs, one.readyMs));
} finally {
  await Promise.all([one.stop(), many.stop()]);
}
