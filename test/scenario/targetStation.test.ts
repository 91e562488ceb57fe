/**
 * The suite against a user's station (`--station`): a *correct* station that keeps its state
 * between scenarios (here the reference implementation served as one long-lived process) must get
 * no failure. Scenarios it cannot serve in the expected state are skipped with the reason:
 * injections, notices declared by the scenario itself, notices an earlier scenario already paid.
 */
import { expect } from 'chai';
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { RealClock } from '../../src/clock.ts';
import { loadRegistry } from '../../src/nodo/registry.ts';
import { SCENARIOS_DIR } from '../../src/paths.ts';
import { RunEmitter, type CaseEnd } from '../../src/scenario/events.ts';
import { loadScenarios } from '../../src/scenario/load.ts';
import { runScenarios } from '../../src/scenario/run.ts';
import { Journal } from '../../src/soap/exchange.ts';
import { schemasRouter } from '../../src/soap/wsdl.ts';
import { createReferenceStations, loadPositionsFile } from '../../src/station/index.ts';
import { referenceStationDefs } from '../../src/world.ts';

describe('the suite against a long-lived station addressed with --station', function () {
  this.timeout(120_000);
  let server: Server;
  let url = '';

  before(async () => {
    const reg = loadRegistry(join(SCENARIOS_DIR, 'fixtures', 'registry.default.yaml'));
    const pos = loadPositionsFile(join(SCENARIOS_DIR, 'fixtures', 'positions.default.yaml'));
    if (!reg.ok || !pos.ok) throw new Error('fixtures invalid');
    const stations = createReferenceStations({
      journal: new Journal(),
      clock: new RealClock(),
      config: { ...pos.config, stations: referenceStationDefs(reg.registry) },
    });
    const app = express();
    app.use(schemasRouter());
    app.use(stations.router);
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/stations/77777777777_01`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('gives a correct station no failure, and says why each skipped scenario was skipped', async () => {
    const loaded = await loadScenarios([SCENARIOS_DIR]);
    const all = loaded.files.flatMap((f) => f.scenarios);
    // Every paying scenario of the suite has a notice of its own: a second run of one shows the ledger at work.
    const payer = all.find((s) => s.id === 'outcome-v2-ok-receipt');
    if (!payer) throw new Error('outcome-v2-ok-receipt not found');
    all.push({ ...payer, id: `${payer.id}-again` });
    const ends: CaseEnd[] = [];
    const emitter = new RunEmitter();
    emitter.on('case:end', (e) => ends.push(e));
    const summary = await runScenarios(all, emitter, { targets: { '77777777777_01': url }, jobs: 1 });
    const bad = ends.filter((e) => e.state === 'failed' || e.state === 'errored').map((e) => e.id);
    expect(bad).to.deep.equal([]);
    expect(summary.counts.passed).to.be.greaterThan(200);
    const reasons = ends.filter((e) => e.state === 'skipped').map((e) => e.reason ?? '');
    expect(reasons.every((r) => r.length > 20)).to.equal(true);
    expect(ends.find((e) => e.id === `${payer.id}-again`)?.reason).to.match(
      /already paid on your station 77777777777_01 by scenario outcome-v2-ok-receipt in this run/,
    );
    expect(reasons.some((r) => /needs fault injection on station 77777777777_01/.test(r))).to.equal(true);
    expect(reasons.some((r) => /which the scenario declares itself/.test(r))).to.equal(true);
  });
});
