/**
 * Full payments per second (verifyPaymentNotice, activatePaymentNoticeV2, sendPaymentOutcomeV2,
 * then the Nodo's paSendRTV2 to the station), 10,000 payments in windows of 1,000, through a
 * mock Nodo process and a reference station process. Flat means the last window within 10% of
 * the first. The reference of the ratio is the first window of the same run.
 *
 * Usage: npm run bench:payments [-- --payments 10000 --window 1000 --workers 16] [--quick]
 */
import { benchArgs, fmt, loadNote, num, ratio, row } from './lib/args.ts';
import { positionsYaml } from './lib/fixtures.ts';
import { startPair } from './lib/pair.ts';
import { payMany, receiptsDelivered } from './lib/payments.ts';
import { cpuSecondsOf } from './lib/load.ts';

const a = benchArgs({ payments: '10000', window: '1000', workers: '16' }, { payments: '400', window: '100' });
const count = num(a.payments);
const pair = await startPair(positionsYaml(count));
try {
  const stationBase = /control API\s+(http:\/\/\S+)\/_control\/stations/.exec(pair.station.output())![1]!;
  console.log(`Full payments (verify, activateV2, outcomeV2 OK, receipt), ${fmt(count)} in windows of ${fmt(num(a.window))}, ${a.workers} at a time (${loadNote()})`);
  const windows: number[] = [];
  const pids = [pair.nodo.pid, pair.station.pid];
  const cpu = () => pids.reduce((t, p) => t + cpuSecondsOf(p), 0);
  const cpuBefore = cpu();
  const started = performance.now();
  await payMany(pair.nodoUrl, {
    from: 1,
    count,
    workers: num(a.workers),
    window: num(a.window),
    onWindow: (i, rate) => {
      windows.push(rate);
      row(`  window ${i} (payments ${fmt((i - 1) * num(a.window) + 1)}-${fmt(i * num(a.window))})`, `${fmt(rate)}/s`, windows.length > 1 ? fmt(windows[0]!) : undefined, windows.length > 1 ? ratio(rate, windows[0]!) : undefined);
    },
  });
  const drainMs = await receiptsDelivered(stationBase, count);
  const total = count / ((performance.now() - started) / 1000);
  const cpuUsed = cpu() - cpuBefore;
  row(`full payments, ${fmt(count)} with every receipt delivered`, `${fmt(total)}/s`);
  // The machine's load hits the rate; the CPU the two processes used per payment hardly moves.
  row('payments per CPU-second of the mock Nodo + the station (user + sys)', `${fmt(count / cpuUsed, 1)}`, undefined, undefined);
  row('  CPU per payment: mock Nodo + station', `${fmt((1000 * cpuUsed) / count, 1)} ms`);
  row('last window / first window', `${fmt(windows.at(-1)!)}/s`, fmt(windows[0]!), ratio(windows.at(-1)!, windows[0]!));
  row('receipts still being delivered after the last outcome', `${fmt(drainMs)} ms`);
  row('RSS after: mock Nodo, station', `${fmt(pair.nodo.rssMb())} MB, ${fmt(pair.station.rssMb())} MB`);
} finally {
  await pair.stop();
}
