/**
 * The suite against a user's station (`--station`): a *correct* station that keeps its state
 * between scenarios (here the reference implementation served as one long-lived process) must get
 * no failure. Scenarios it cannot serve in the expected state are skipped with the reason:
 * injections, notices declared by the scenario itself, notices an earlier scenario already paid.
 * Both stations of the EC (V2 _01, V1 _02) are the user's: every scenario that pays pays its own
 * copy, so none is skipped as already paid but a deliberate second run of one.
 */
import { expect } from 'chai';
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { RealClock } from '../../src/clock.ts';
import { loadRegistry, type Registry } from '../../src/nodo/registry.ts';
import { SCENARIOS_DIR } from '../../src/paths.ts';
import { RunEmitter, type CaseEnd } from '../../src/scenario/events.ts';
import { loadScenarios } from '../../src/scenario/load.ts';
import { runScenarios } from '../../src/scenario/run.ts';
import { Journal } from '../../src/soap/exchange.ts';
import { schemasRouter } from '../../src/soap/wsdl.ts';
import { createReferenceStations, loadPositionsFile, type ReferenceStations } from '../../src/station/index.ts';
import { referenceStationDefs } from '../../src/world.ts';

describe('the suite against a long-lived station addressed with --station', function () {
  this.timeout(120_000);
  let server: Server;
  let base = '';
  let stations: ReferenceStations;
  let registry: Registry;

  before(async () => {
    const reg = loadRegistry(join(SCENARIOS_DIR, 'fixtures', 'registry.default.yaml'));
    const pos = loadPositionsFile(join(SCENARIOS_DIR, 'fixtures', 'positions.default.yaml'));
    if (!reg.ok || !pos.ok) throw new Error('fixtures invalid');
    registry = reg.registry;
    stations = createReferenceStations({
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
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/stations`;
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
    // Both stations of the EC are yours: the V2 one (_01) and the V1 one (_02).
    const targets = { '77777777777_01': `${base}/77777777777_01`, '77777777777_02': `${base}/77777777777_02` };
    const summary = await runScenarios(all, emitter, { targets, jobs: 1 });
    const bad = ends.filter((e) => e.state === 'failed' || e.state === 'errored').map((e) => e.id);
    expect(bad).to.deep.equal([]);
    expect(summary.counts.passed).to.be.greaterThan(200);
    const reasons = ends.filter((e) => e.state === 'skipped').map((e) => e.reason ?? '');
    expect(reasons.every((r) => r.length > 20)).to.equal(true);
    expect(ends.find((e) => e.id === `${payer.id}-again`)?.reason).to.match(
      /already paid on your station 77777777777_01 by scenario outcome-v2-ok-receipt in this run/,
    );
    // Paid stays paid on your station, yet only the deliberate second run finds its notice already paid:
    // every scenario that pays pays a copy of its own (fixtures/positions.default.yaml, usedBy).
    expect(ends.filter((e) => /already paid/.test(e.reason ?? '')).map((e) => e.id)).to.deep.equal([`${payer.id}-again`]);
    // Among them the V1 station's payers, which all paid 302000000000200138 (or declared 302000000000800186) before.
    const v1Payers = [
      'outcome-v1-ok-receipt',
      'outcome-v1-late-ok-token-scaduto',
      'outcome-v1-late-ok-pagamento-duplicato',
      'outcome-v1-esito-gia-acquisito',
      'outcome-v1-idempotent-retry',
      'payment-v1-station-mono',
      'receipts-primary-v1-no-primary-ec-broadcast',
      'versions-runtime-v1-to-v2-between-activate-and-receipt',
      'versions-station-pv1-full-flow',
      'receipts-primary-v1-secondary-broadcast-served',
      'versions-v2-receipt-after-v1-getpayment',
      'versions-ec-psp-02m-v1-multi-beneficiary',
    ];
    for (const id of v1Payers) {
      const end = ends.find((e) => e.id === id);
      expect(end?.state, `${id}: ${end?.reason ?? ''}`).to.equal('passed');
      expect(end?.stationExchanges, id).to.be.greaterThan(0);
    }
    expect(reasons.some((r) => /needs fault injection on station 77777777777_0[12]/.test(r))).to.equal(true);
    expect(reasons.some((r) => /which the scenario declares itself/.test(r))).to.equal(true);
  });

  it('skips a scenario that associates an EC with your station the published registry does not (the reference stations follow it, yours cannot)', async () => {
    stations.reset();
    const loaded = await loadScenarios([SCENARIOS_DIR]);
    // The two patch a broadcast association onto 99999999999_01 and 22222222222_01; the third gets receipts on both as published.
    const ids = ['receipts-secondary-two-broadcast', 'receipts-primary-broadcast-added-after-payment', 'receipts-shared-station-two-ecs'];
    const chosen = loaded.files.flatMap((f) => f.scenarios).filter((s) => ids.includes(s.id));
    const ends: CaseEnd[] = [];
    const emitter = new RunEmitter();
    emitter.on('case:end', (e) => ends.push(e));
    // Every reference station is yours, the broadcast ones included.
    const targets = Object.fromEntries(
      registry.stations.filter((st) => st.endpoint === 'reference').map((st) => [st.stationCode, `${base}/${st.stationCode}`]),
    );
    await runScenarios(chosen, emitter, { targets, jobs: 1 });
    const byId = Object.fromEntries(ends.map((e) => [e.id, `${e.state}${e.reason ? `: ${e.reason}` : ''}`]));
    expect(byId['receipts-shared-station-two-ecs']).to.equal('passed');
    expect(byId['receipts-secondary-two-broadcast']).to.match(
      /^skipped: associates EC 22222222222 with station 99999999999_01 \(not in scenarios\/fixtures\/registry\.default\.yaml\).*PAA_ID_DOMINIO_ERRATO/,
    );
    expect(byId['receipts-primary-broadcast-added-after-payment']).to.match(/^skipped: associates EC 77777777777 with station 22222222222_01 /);
  });
});
