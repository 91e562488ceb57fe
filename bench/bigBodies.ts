/**
 * Big bodies: 1,000 valid requests of 4.9 MB (a verifyPaymentNotice padded with whitespace
 * inside the SOAP Body) to the mock Nodo, which validates each, calls the station and journals
 * the exchange. RSS of the Nodo after the first 50 / max / last. Bounded: the journal keeps a
 * body over 256 KB as its head and tail with its SHA-256 (README "Figures": the journal's cap).
 *
 * Usage: npm run bench:big-bodies [-- --requests 1000 --mb 4.9 --connections 2] [--quick]
 */
import { benchArgs, fmt, loadNote, num, ratio, row } from './lib/args.ts';
import { notice, positionsYaml } from './lib/fixtures.ts';
import { hammer, post, soapHeaders } from './lib/load.ts';
import { OK, verifyReq } from './lib/messages.ts';
import { startPair } from './lib/pair.ts';

const a = benchArgs({ requests: '1000', mb: '4.9', connections: '2' }, { requests: '100' });
const total = num(a.requests);
const pad = ' \n'.repeat(Math.floor((num(a.mb) * 1e6) / 2));
const body = Buffer.from(verifyReq(notice(1), pad));
const pair = await startPair(positionsYaml(10), { nodo: { env: { HARNESS_LOG_LEVEL: 'warn' } } });
try {
  await post(pair.nodoUrl, 'verifyPaymentNotice', body.toString(), OK);
  console.log(`Big bodies: ${fmt(total)} valid requests of ${fmt(body.length / 1e6, 1)} MB to the mock Nodo (${loadNote()})`);
  const slice = Math.max(1, Math.round(total / 20));
  const xs: number[] = [];
  let rps = 0;
  let failed = 0;
  for (let done = 0; done < total; done += slice) {
    const r = await hammer(
      { url: pair.nodoUrl, body, headers: soapHeaders('verifyPaymentNotice') },
      { amount: Math.min(slice, total - done), connections: num(a.connections), timeoutS: 300 },
    );
    failed += r.errors + r.non2xx;
    rps = r.rps;
    const rss = pair.nodo.rssMb();
    if (Number.isNaN(rss))
      throw new Error(`Failed to send ${fmt(total)} big requests: the mock Nodo exited after about ${fmt(done + slice)}.\n${pair.nodo.output().slice(-3000)}`);
    xs.push(rss);
  }
  row(
    `RSS of the mock Nodo after ${fmt(slice)} / max / after ${fmt(total)}`,
    `${fmt(xs[0]!)} / ${fmt(Math.max(...xs))} / ${fmt(xs.at(-1)!)} MB`,
    `${fmt(xs[0]!)} MB`,
    ratio(xs.at(-1)!, xs[0]!),
  );
  row('requests/s (last slice); requests not answered 200', `${fmt(rps, 1)} req/s; ${failed}`, undefined, undefined);
} finally {
  await pair.stop();
}
