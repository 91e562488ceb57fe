/**
 * `station-harness aca --profile station.yaml | --registry <file>`: ACA (paCreatePosition) and GPD
 * (its store, receipts API) alone, long-lived, so a back office under test confers its positions
 * to it before and during a station-suite run (`check --profile` with `aca.url` reads them).
 */
import express from 'express';
import type { AddressInfo } from 'node:net';
import { createAca, DEFAULT_SUBSCRIPTION_KEY } from '../../aca/index.ts';
import { RealClock } from '../../clock.ts';
import { ERR, HarnessError } from '../../errors.ts';
import { formatRegistryIssue, loadRegistry, type Registry } from '../../nodo/index.ts';
import { formatProfileIssue, loadProfile, profileRegistry } from '../../profile/index.ts';
import { createGpd } from '../../gpd/index.ts';
import { Journal } from '../../soap/index.ts';
import { defineCommand } from '../command.ts';
import { info, out } from '../output.ts';
import { CONTROL_HELP, CONTROL_OPTIONS, controlAccessFrom, untilStopped } from '../serving.ts';

function registryFrom(values: { profile?: string; registry?: string }): Registry {
  const profile = values['profile'];
  const file = values['registry'];
  if (!profile === !file)
    throw new HarnessError(
      ERR.USAGE,
      'Failed to start ACA: give exactly one of --profile <station.yaml> or --registry <file> (the ECs ACA accepts come from it).',
    );
  if (profile) {
    const p = loadProfile(profile);
    if (!p.ok) throw new HarnessError(ERR.CONFIG, `Failed to load the station profile:\n${p.issues.map(formatProfileIssue).join('\n')}`);
    const r = profileRegistry(p.profile);
    if (!r.ok) throw new HarnessError(ERR.CONFIG, r.issues.map((i) => `${i.source}:${i.line}:${i.col} ${i.message}`).join('\n'));
    return r.registry;
  }
  const r = loadRegistry(file ?? '');
  if (!r.ok) throw new HarnessError(ERR.CONFIG, `Failed to load the registry:\n${r.issues.map(formatRegistryIssue).join('\n')}`);
  return r.registry;
}

const command = defineCommand({
  command: 'aca',
  describe: 'Run the ACA emulator (paCreatePosition) with its GPD store alone, for a back office to confer positions to',
  usage: '--profile <station.yaml> | --registry <file> [--port <n>] [--host <h>] [--subscription-key <k>] [--control-token <t> | --no-control]',
  options: {
    profile: { type: 'string' },
    registry: { type: 'string', short: 'r' },
    port: { type: 'string', short: 'p' },
    host: { type: 'string' },
    'subscription-key': { type: 'string' },
    ...CONTROL_OPTIONS,
  },
  help: `
Serves POST /aca/v1/paCreatePosition (src/aca/README.md), the GPD REST and receipts API under
/gpd, and the control APIs /_control/aca (positions, calls) and /_control/gpd. The ECs (and
their ACA IBAN) come from the station profile or the registry. Point your back office's ACA base
URL at http://<host>:<port>/aca/v1 with the subscription key, and set aca.url in your profile to
http://<host>:<port> so that check --profile reads what it conferred. One line per call on
standard error; Ctrl-C stops (exit 130), SIGTERM too (143).

  --subscription-key k   the APIM key ACA accepts (default ${DEFAULT_SUBSCRIPTION_KEY})
${CONTROL_HELP}

Example:
  station-harness aca --profile station.yaml --port 8087`,
  async handler({ values }) {
    const registry = registryFrom(values);
    const port = Number(values['port'] ?? 0);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new HarnessError(ERR.USAGE, `Failed to start ACA: --port '${String(values['port'])}' is not a port number. Use 0-65535.`);
    const host = values['host'] ?? '127.0.0.1';
    const key = values['subscription-key'] ?? DEFAULT_SUBSCRIPTION_KEY;
    const journal = new Journal();
    const clock = new RealClock();
    const gpd = createGpd({ journal, clock, subscriptions: [{ key }] });
    // Without IBAN labels in a profile, ACA credits the EC's IBAN the registry derived for it (acaIban).
    const aca = createAca({ journal, clock, store: gpd.store, registry: () => registry, options: { subscriptions: [{ key }] } });
    journal.on('exchange', (e) =>
      info(`${e.at} ${e.from} → ${e.to} ${e.operation} ${e.httpStatus ?? ''} ${Math.round(e.durationMs)}ms${e.notes[0] ? ` (${e.notes[0]})` : ''}`),
    );
    const app = express();
    app.disable('x-powered-by');
    controlAccessFrom(values, host).mount(app);
    app.use(gpd.router);
    app.use(aca.router);
    const server = await new Promise<import('node:http').Server>((resolve, reject) => {
      const s = app.listen(port, host, () => resolve(s));
      s.on('error', (e: NodeJS.ErrnoException) =>
        reject(new HarnessError(ERR.IO, `Failed to listen on ${host}:${port}: ${e.code ?? e.message}. Choose another --port.`)),
      );
    });
    const base = `http://${host}:${(server.address() as AddressInfo).port}`;
    out(`${base}/aca/v1`);
    info(`ACA ready: ${base}/aca/v1/paCreatePosition (subscription key ${key}), positions ${base}/_control/aca/positions`);
    return untilStopped(server, 'ACA');
  },
});

export default command;
