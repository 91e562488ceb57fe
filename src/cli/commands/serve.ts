/**
 * `station-harness serve`: the mock Nodo, the reference stations, GPD, SEND and the explorer in
 * one process on one port, on a clock that can be advanced; the built-in demo world by default.
 */
import { ERR, HarnessError } from '../../errors.ts';
import { DEFAULT_PORT, startServe, type ServeUrls } from '../../serve/index.ts';
import type { Exchange } from '../../soap/index.ts';
import { defineCommand } from '../command.ts';
import { chainPrefix, printCausally } from '../exchangeLog.ts';
import { createBufferedLog, LOG_LEVEL_HELP, LOG_LEVEL_OPTION, logLevelFrom } from '../bufferedLog.ts';
import { bold, info, out } from '../output.ts';
import { CONTROL_HELP, CONTROL_OPTIONS, controlAccessFrom, stopOnSignals } from '../serving.ts';

function logLine(e: Exchange, depth: number): string {
  const result = e.meta['skipped']
    ? 'not sent'
    : e.failure
      ? `failed (${e.failure})`
      : [e.outcome, e.faultCode].filter(Boolean).join(' ') || (e.httpStatus ? `HTTP ${e.httpStatus}` : 'no answer');
  const who = e.direction === 'inbound' && !e.origin ? `${e.party} ← ${e.from}` : `${e.from} → ${e.to}`;
  const nn = e.meta['noticeNumber'] ? ` ${String(e.meta['noticeNumber'])}` : '';
  const attempt = /^paSendRT/.test(e.operation) && e.party === 'nodo' && e.meta['attempt'] ? ` attempt ${String(e.meta['attempt'])}` : '';
  return `${e.at.slice(11, 23)} ${chainPrefix(e, depth)}${who} ${e.operation}${nn}${attempt} ${result} ${Math.round(e.durationMs)}ms${e.notes[0] ? ` (${e.notes[0]})` : ''}`;
}

/** The banner: every address, one per line, on standard output. */
function banner(u: ServeUrls, token: string | undefined): string[] {
  return [
    // The token travels in the fragment: the page reads it, browsers never send it to a server.
    `explorer            ${u.explorer}${token ? `#token=${token}` : ''}`,
    `nodeForPsp (Nodo)   ${u.nodeForPsp}    WSDL ${u.nodeForPspWsdl}`,
    ...u.stations.map(
      (s) => `station ${s.idStation.padEnd(15)} ${s.url}    WSDL ${s.wsdl}    (primitiveVersion ${s.primitiveVersion ?? '?'}, ECs ${s.ecs.join(', ')})`,
    ),
    `GPD                 ${u.gpd}    paForNode ${u.gpdPaForNode}    WSDL ${u.gpdPaForNode}?wsdl`,
    `GPD receipts        ${u.gpdReceipts}/<fiscalCode>/receipts[/<iuv>]    (asynchronous ECs)`,
    `ACA                 ${u.aca}    (synchronous ECs confer their positions)`,
    `subscription key    ${u.subscriptionKey}    (Ocp-Apim-Subscription-Key of ACA and GPD receipts)`,
    `stand-in            ${u.standIn}    (POST|DELETE ${u.standIn}/stations/<station>)`,
    `SEND                ${u.send}`,
    `control API         ${u.control}    journal ${u.control}/journal`,
  ];
}

const command = defineCommand({
  command: 'serve',
  describe: 'Serve a local pagoPA (mock Nodo with stand-in, reference stations, GPD, ACA, SEND) and the explorer on one port',
  usage: '[--registry <file>] [--positions <file>] [--port <n>] [--host <h>] [--log-level info|warn|silent] [--control-token <t> | --no-control]',
  options: {
    registry: { type: 'string', short: 'r' },
    positions: { type: 'string', short: 'p' },
    port: { type: 'string' },
    host: { type: 'string' },
    ...LOG_LEVEL_OPTION,
    ...CONTROL_OPTIONS,
  },
  help: `
Everything on one port: POST /nodo (nodeForPsp), POST /stations/<idStation> (paForNode of each
reference station), /gpd (GPD REST, its receipts API and its paForNode port), /aca/v1
(ACA's paCreatePosition), /send (SEND), the explorer at /, the control APIs under /_control
(GET /_control lists them). Every URL is printed at start,
then one line per exchange on standard error, in causal order (#<id> is the PSP exchange
that caused it). Ctrl-C (or SIGTERM) stops it cleanly.

With no files, the demo world: Comune di Esempio (77777777777) with a primitiveVersion 2
station (_01) and a primitiveVersion 1 station (_02), a partner's broadcast station, a
secondary EC with its own broadcast station, an EC whose notices live in GPD, a notice
linked to SEND, a spontaneous-payment service (nodoChiediCatalogoServiziV2 lists it,
demandPaymentNotice for provider 00001 creates a new notice at _01); Comune di Esempio
confers to ACA, so its stations can go into stand-in (by hand: POST
/_control/nodo/standin/stations/<station>, or when their calls fail). Its notices are listed
in src/serve/demo/positions.yaml; the README walks through a full payment, a spontaneous
payment and a stand-in payment with curl.

The clock is real time plus an offset: POST /_control/nodo/clock/advance {"by": "1h"} (or
the explorer's buttons) moves it forward to see token expiry, receipt retries and the stand-in probes.

  --registry, -r   registry file (default: the demo registry)
  --positions, -p  positions of the reference stations (default: the demo positions with the
                   demo registry, none with your own registry)
  --port           TCP port (default ${DEFAULT_PORT}; 0 picks a free one)
  --host           interface (default 127.0.0.1); off loopback the control API (and so the
                   explorer's buttons) requires a token: the printed explorer URL carries it
${LOG_LEVEL_HELP}
${CONTROL_HELP}

Exit codes: 130 stopped by Ctrl-C, 143 by SIGTERM, 2 bad options or files (file:line:col).`,
  async handler({ values }) {
    const portText = values['port'] ?? String(DEFAULT_PORT);
    const port = Number(portText);
    if (!/^\d+$/.test(portText) || port > 65535)
      throw new HarnessError(ERR.USAGE, `Failed to start serve: --port '${portText}' is not a TCP port. Use a number from 0 to 65535.`);
    const host = values['host'] ?? '127.0.0.1';
    const log = createBufferedLog(logLevelFrom(values['log-level']));
    const access = controlAccessFrom(values, host);
    const started = await startServe({
      registry: values['registry'],
      positions: values['positions'],
      port,
      host,
      control: { token: access.token, enabled: access.enabled },
      onBug: (m) => info(`BUG in station-harness (please report it): ${m}`),
    });
    if (!started.ok) throw new HarnessError(started.kind === 'config' ? ERR.CONFIG : ERR.IO, started.message);
    const s = started.served;
    for (const w of s.loaded.warnings) info(w);
    printCausally(s.journal, log.filter(logLine), log.write);
    // The signal handlers first: a caller that signals as soon as it reads a URL must not meet the default action.
    const stopped = stopOnSignals('serve', () => s.stop());
    for (const l of banner(s.urls, access.token)) out(l);
    info(
      bold(
        `station-harness serve ready on ${s.urls.base} (${s.loaded.demo ? 'demo world' : `registry ${s.loaded.registry}${s.loaded.positions ? `, positions ${s.loaded.positions}` : ''}`}, ${s.loaded.positionCount} position(s)). Open ${s.urls.explorer} in a browser. Ctrl-C stops.`,
      ),
    );
    return stopped;
  },
});

export default command;
