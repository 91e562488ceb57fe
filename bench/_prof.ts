import { positionsYaml, notice } from './lib/fixtures.ts';
import { hammer, soapHeaders } from './lib/load.ts';
import { paVerifyReq, STATION, verifyReq } from './lib/messages.ts';
import { startHarness, stationUrl } from './lib/procs.ts';
import { startPair } from './lib/pair.ts';
const what = process.argv[2];
if (what === 'station') {
  const st = await startHarness(['station', '--positions', positionsYaml(10), '--port', '0'], /control API\s+http/);
  await hammer({ url: stationUrl(st, STATION), body: paVerifyReq(notice(1)), headers: soapHeaders('paVerifyPaymentNotice') }, { seconds: 3 });
  process.env['X'] = '1';
  const r = await hammer({ url: stationUrl(st, STATION), body: paVerifyReq(notice(1)), headers: soapHeaders('paVerifyPaymentNotice') }, { seconds: Number(process.argv[3] ?? 20) });
  console.log(r);
  await st.stop();
} else {
  const p = await startPair(positionsYaml(10));
  const r = await hammer({ url: p.nodoUrl, body: verifyReq(notice(1)), headers: soapHeaders('verifyPaymentNotice') }, { seconds: Number(process.argv[3] ?? 20) });
  console.log(r);
  await p.stop();
}
