/** `station-harness station --positions <file>`: run the reference EC stations alone. */
import express from 'express';
import type { AddressInfo } from 'node:net';
import { RealClock } from '../../clock.ts';
import { ERR, EXIT, HarnessError } from '../../errors.ts';
import { Journal, type Exchange } from '../../soap/index.ts';
import { finishApp } from '../../soap/index.ts';
import { schemasRouter, soapFirstServer } from '../../soap/index.ts';
import { createReferenceStations, describeDefects, loadPositionsFile, packPositions, parseDefects } from '../../station/index.ts';
import { loadRegistry } from '../../nodo/index.ts';
import { referenceStationDefs } from '../../world.ts';
import { defineCommand } from '../command.ts';
import { controlIndexRouter } from '../../controlIndex.ts';
import { chainPrefix, printCausally } from '../exchangeLog.ts';
import { createBufferedLog, LOG_LEVEL_HELP, LOG_LEVEL_OPTION, logLevelFrom } from '../bufferedLog.ts';
import { info, out } from '../output.ts';
import { CONTROL_HELP, CONTROL_OPTIONS, controlAccessFrom, untilStopped } from '../serving.ts';
import { fileAt } from '../../location.ts';

function logLine(e: Exchange, depth: number): string {
  const outcome = e.faultCode ? `${e.outcome ?? ''} ${e.faultCode}`.trim() : (e.outcome ?? (e.httpStatus ? `HTTP ${e.httpStatus}` : 'no answer'));
  const nn = e.meta['noticeNumber'] ? ` ${String(e.meta['noticeNumber'])}` : '';
  const issues = e.requestIssues.length ? ` (${e.requestIssues.length} request issue(s))` : '';
  const note = e.notes.length ? ` · ${e.notes.join(' · ')}` : '';
  return `${e.at} ${chainPrefix(e, depth)}${e.party} ${e.direction === 'outbound' ? '→' : '←'} ${e.operation}${nn} → ${outcome} ${Math.round(e.durationMs)}ms${issues}${note}`;
}

const command = defineCommand({
  command: 'station',
  describe: 'Run the reference EC stations (paForNode) from a positions file',
  usage:
    '--positions <file> [--positions <file>]... [--registry <file>] [--port N] [--host 127.0.0.1] [--send-url URL] [--defect name]... [--log-level info|warn|silent] [--control-token t | --no-control]',
  options: {
    positions: { type: 'string', short: 'p', multiple: true },
    registry: { type: 'string', short: 'r' },
    port: { type: 'string' },
    host: { type: 'string' },
    'send-url': { type: 'string' },
    defect: { type: 'string', multiple: true },
    ...LOG_LEVEL_OPTION,
    ...CONTROL_OPTIONS,
  },
  help: `
Serves one paForNode endpoint per station of the positions file at
POST /stations/<idStation> (WSDL at ?wsdl), and the JSON control API at
/_control/stations (positions, receipts, injections, exchanges, reset).
Format of the file: src/station/README.md; example:
scenarios/fixtures/positions.example.yaml.

  --positions, -p  positions file, required; repeat it to serve several files together. YAML,
                   or NDJSON (.ndjson/.jsonl, one position per line: streamed and packed, for
                   100k+ notices; format in src/station/README.md)
  --registry, -r   take the stations (idStation, broker, ECs) from a mock-Nodo registry: every
                   station whose endpoint is 'reference' (as the scenario worlds do), e.g.
                   scenarios/fixtures/registry.default.yaml; then the positions file needs no stations
  --port           TCP port (default 0 = any free port)
  --host           interface to listen on (default 127.0.0.1); off loopback the control API
                   requires a token (README, "Security")
  --send-url       SEND base URL for positions linked to SEND (e.g. http://127.0.0.1:8080/send)
  --defect name    serve a BROKEN station: the reference station with this defect switched on
                   (repeatable; name=value for those taking one; --defect list prints them).
                   For proving that a check catches a broken station (src/station/defects.ts):
${describeDefects('                     ')}
${LOG_LEVEL_HELP}
${CONTROL_HELP}

Prints the station URLs, then one line per exchange.
Exit codes: 130 stopped by Ctrl-C (SIGINT), 143 stopped by SIGTERM, 2 bad options or
positions file (file:line:col).`,
  async handler({ values }) {
    const defectSpecs = values['defect'] ?? [];
    if (defectSpecs.includes('list')) {
      out(`Broken stations (--defect <name>): the reference station with one defect switched on.\n${describeDefects()}`);
      return EXIT.OK;
    }
    const parsedDefects = parseDefects(defectSpecs);
    if (!parsedDefects.ok) throw new HarnessError(ERR.USAGE, parsedDefects.message);
    const files = values['positions'] ?? [];
    if (files.length === 0)
      throw new HarnessError(
        ERR.USAGE,
        'Failed to start the stations: --positions is required. Pass a positions YAML file, e.g. scenarios/fixtures/positions.example.yaml.',
      );
    const file = files.join(', ');
    const portText = values['port'] ?? '0';
    const port = Number(portText);
    if (!/^\d+$/.test(portText) || port > 65535)
      throw new HarnessError(ERR.USAGE, `Failed to start the stations: --port '${portText}' is not a TCP port. Use a number from 0 to 65535.`);
    const host = values['host'] ?? '127.0.0.1';
    const log = createBufferedLog(logLevelFrom(values['log-level']));
    // Several files are served together (e.g. positions.default.yaml and positions.send.yaml).
    let loaded: Extract<ReturnType<typeof loadPositionsFile>, { ok: true }> | undefined;
    for (const f of files) {
      const one = loadPositionsFile(f);
      if (!one.ok) {
        const lines = one.issues.map((i) => `${fileAt(i.source ?? f, i.line, i.col)} ${i.message}`);
        throw new HarnessError(
          ERR.CONFIG,
          `Failed to load the positions file ${f}: ${one.issues.length} problem(s). Fix them and start again.\n${lines.join('\n')}`,
        );
      }
      for (const w of one.warnings) info(`${fileAt(w.source ?? f, w.line, w.col)} warning: ${w.message}`);
      if (!loaded) loaded = one;
      else {
        const c = loaded.config;
        c.stations.push(...one.config.stations);
        c.positions.push(...one.config.positions);
        if (one.config.packed) c.packed = c.packed ? packPositions(one.config.packed.values(), c.packed) : one.config.packed;
        c.injections.push(...one.config.injections);
        c.services.push(...one.config.services);
        if (one.config.sendTimeoutMs !== undefined) c.sendTimeoutMs = one.config.sendTimeoutMs;
      }
    }
    if (!loaded) throw new HarnessError(ERR.USAGE, 'Failed to start the stations: no positions loaded.');
    const registryFile = values['registry'];
    if (typeof registryFile === 'string') {
      const reg = loadRegistry(registryFile);
      if (!reg.ok)
        throw new HarnessError(
          ERR.CONFIG,
          `Failed to load the registry ${registryFile}: ${reg.issues.length} problem(s). Fix them and start again.\n${reg.issues.map((i) => `${fileAt(i.source ?? registryFile, i.line, i.col)} ${i.message}`).join('\n')}`,
        );
      loaded.config.stations = referenceStationDefs(reg.registry);
    }
    if (!loaded.config.stations.length)
      throw new HarnessError(
        ERR.CONFIG,
        `Failed to start the stations: ${file} defines no station. Add a 'stations:' list with idStation, idBrokerPA and ecs, or pass --registry.`,
      );

    const journal = new Journal();
    const stopLog = printCausally(journal, log.filter(logLine), log.write);
    const stations = createReferenceStations({
      journal,
      clock: new RealClock(),
      config: loaded.config,
      sendBaseUrl: values['send-url'],
      onBug: (m) => info(`BUG in station-harness: ${m}`),
      defects: parsedDefects.defects,
    });
    if (parsedDefects.defects.size)
      info(`BROKEN on purpose, defect(s) switched on: ${[...parsedDefects.defects.keys()].join(', ')} (station-harness station --defect list)`);
    const app = express();
    app.disable('x-powered-by');
    controlAccessFrom(values, host).mount(app);
    app.use(schemasRouter());
    app.use(stations.router);
    app.use(controlIndexRouter(app));
    finishApp(app, (m) => info(`BUG in station-harness: ${m}`));
    const server = await new Promise<import('node:http').Server>((resolve, reject) => {
      // Express 5 calls back with the error (EADDRINUSE...) instead of only emitting it.
      const fail = (e: NodeJS.ErrnoException) =>
        reject(new HarnessError(ERR.USAGE, `Failed to listen on ${host}:${port}: ${e.code ?? e.message}. Choose another --port or --host.`));
      // SOAP POSTs to a station go straight to its port; every other request to the express app.
      const s = soapFirstServer(app, [stations.soapRoute]);
      s.once('error', fail);
      s.listen(port, host, () => resolve(s));
    });
    const addr = server.address() as AddressInfo;
    const base = `http://${host.includes(':') ? `[${host}]` : host}:${addr.port}`;
    // Signal handlers before the URLs are printed: a caller may send SIGTERM as soon as it reads them.
    const stopped = untilStopped(server, 'the stations', () => {
      stopLog();
      log.flush();
    });
    for (const s of stations.stations()) out(`${s.idStation}  ${stations.urlOf(s.idStation, base)}  (broker ${s.idBrokerPA}, ECs ${s.ecs.join(', ')})`);
    out(`control API  ${base}/_control/stations`);
    info(`${loaded.config.positions.length + (loaded.config.packed?.size ?? 0)} position(s) loaded from ${file}. Press Ctrl+C to stop.`);
    return stopped;
  },
});

export default command;
