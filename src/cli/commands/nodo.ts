/** `station-harness nodo --registry <file>`: runs the mock Nodo alone and prints its nodeForPsp URL. */
import express from 'express';
import type { AddressInfo } from 'node:net';
import { RealClock } from '../../clock.ts';
import { ERR, HarnessError } from '../../errors.ts';
import { createNodo } from '../../nodo/index.ts';
import { formatRegistryIssue, loadRegistry } from '../../nodo/index.ts';
import { Journal } from '../../soap/index.ts';
import { finishApp } from '../../soap/index.ts';
import { schemasRouter, soapFirstServer } from '../../soap/index.ts';
import { controlIndexRouter } from '../../controlIndex.ts';
import { chainPrefix, printCausally } from '../exchangeLog.ts';
import { createBufferedLog, LOG_LEVEL_HELP, LOG_LEVEL_OPTION, logLevelFrom } from '../bufferedLog.ts';
import { defineCommand } from '../command.ts';
import { info, out } from '../output.ts';
import { CONTROL_HELP, CONTROL_OPTIONS, controlAccessFrom, untilStopped } from '../serving.ts';

function readRegistry(file: string) {
  const r = loadRegistry(file);
  if (!r.ok) return { ok: false as const, message: r.issues.map(formatRegistryIssue).join('\n') };
  return { ok: true as const, registry: r.registry };
}

function parseStations(values: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values ?? []) {
    const m = /^([^=]+)=(https?:\/\/\S+)$/.exec(v);
    if (!m)
      throw new HarnessError(
        ERR.USAGE,
        `Failed to read --station '${v}': expected <stationCode>=<http(s) URL>. Example: --station 77777777777_01=http://localhost:8080/pa`,
      );
    out[m[1]!] = m[2]!;
  }
  return out;
}

const command = defineCommand({
  command: 'nodo',
  describe: 'Run the mock Nodo (nodeForPsp) alone, routing to the stations of a registry',
  usage:
    '--registry <file> [--port <n>] [--host <h>] [--station <code>=<url>...] [--seed <s>] [--log-level info|warn|silent] [--control-token <t> | --no-control]',
  options: {
    registry: { type: 'string', short: 'r' },
    port: { type: 'string', short: 'p' },
    host: { type: 'string' },
    station: { type: 'string', multiple: true },
    seed: { type: 'string' },
    ...LOG_LEVEL_OPTION,
    ...CONTROL_OPTIONS,
  },
  help: `
Serves POST /nodo (nodeForPsp: verifyPaymentNotice, verificaBollettino,
activatePaymentNotice[V2], sendPaymentOutcome[V2]), GET /nodo?wsdl and the control API under /_control/nodo.
Stations whose endpoint is an http(s) URL are called there; --station overrides one.
One line per exchange is printed on standard error. Ctrl-C stops cleanly (exit 130),
SIGTERM too (exit 143). Registry format: src/nodo/README.md. Config errors exit 2 with
file:line:col.

  --host h           interface (default 127.0.0.1). Off loopback (0.0.0.0) the control API
                     requires a token (README, "Security")
${LOG_LEVEL_HELP}
${CONTROL_HELP}

Examples:
  station-harness nodo --registry scenarios/fixtures/registry.default.yaml --port 8090
  station-harness nodo -r my.yaml --station 77777777777_01=http://localhost:8080/pa`,
  async handler({ values }) {
    const file = values['registry'];
    if (!file)
      throw new HarnessError(ERR.USAGE, 'Failed to start the Nodo: no registry given. Pass --registry <file> (see scenarios/fixtures/registry.default.yaml).');
    const log = createBufferedLog(logLevelFrom(values['log-level']));
    const first = readRegistry(file);
    if (!first.ok) throw new HarnessError(ERR.CONFIG, `Failed to load the registry:\n${first.message}`);
    const port = Number(values['port'] ?? 0);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new HarnessError(ERR.USAGE, `Failed to start the Nodo: --port '${String(values['port'])}' is not a port number. Use 0-65535.`);
    const host = values['host'] ?? '127.0.0.1';
    const journal = new Journal();
    const nodo = createNodo({
      journal,
      clock: new RealClock(),
      registry: first.registry,
      options: { stationUrls: parseStations(values['station']), ...(values['seed'] !== undefined ? { seed: values['seed'] } : {}) },
      loadRegistry: () => readRegistry(file),
    });
    const stopLog = printCausally(
      journal,
      log.filter(
        (e, depth) =>
          `${e.at} ${chainPrefix(e, depth)}${e.from} → ${e.to} ${e.operation} ${e.outcome ?? e.failure ?? e.httpStatus ?? ''}${e.faultCode ? ` ${e.faultCode}` : ''} ${Math.round(e.durationMs)}ms${e.notes[0] ? ` (${e.notes[0]})` : ''}`,
      ),
      log.write,
    );
    const app = express();
    app.disable('x-powered-by');
    controlAccessFrom(values, host).mount(app);
    app.use(schemasRouter());
    app.use(nodo.router);
    app.use(controlIndexRouter(app));
    finishApp(app, (m) => info(`BUG in station-harness: ${m}`));
    const server = await new Promise<import('node:http').Server>((resolve, reject) => {
      // Express 5 calls back with the error (EADDRINUSE...) instead of only emitting it.
      const fail = (e: NodeJS.ErrnoException) =>
        reject(new HarnessError(ERR.IO, `Failed to listen on ${host}:${port}: ${e.code ?? e.message}. Choose another --port.`));
      // SOAP POSTs to /nodo go straight to its port; every other request to the express app.
      const s = soapFirstServer(app, [nodo.soapRoute]);
      s.on('error', fail);
      s.listen(port, host, () => resolve(s));
    });
    const { port: actual } = server.address() as AddressInfo;
    const base = `http://${host}:${actual}`;
    nodo.setBaseUrl(base);
    // Signal handlers before the URL is printed: a caller may send SIGTERM as soon as it reads it.
    const stopped = untilStopped(server, 'the mock Nodo', () => {
      nodo.close();
      stopLog();
      log.flush();
    });
    out(`${base}/nodo`);
    info(`mock Nodo ready: nodeForPsp ${base}/nodo (WSDL ${base}/nodo?wsdl), control ${base}/_control/nodo`);
    return stopped;
  },
});

export default command;
