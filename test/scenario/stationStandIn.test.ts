/**
 * The station suite's ACA check (ACA-CONFERRED) against a long-lived station and a separate
 * harness ACA, as a user runs it: it fails while the EC has not conferred the notice, passes once
 * the reference station's back office conferred its positions over HTTP, and fails again when ACA
 * holds another amount than the station verifies. The `aca` command refuses bad arguments.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import express from 'express';
import { createAca, DEFAULT_SUBSCRIPTION_KEY } from '../../src/aca/index.ts';
import { ManualClock } from '../../src/clock.ts';
import { createControlAccess } from '../../src/control/index.ts';
import { profileRegistry } from '../../src/profile/index.ts';
import { createGpd } from '../../src/gpd/gpd.ts';
import { Journal } from '../../src/soap/exchange.ts';
import { runInProcess } from '../support/cli.ts';
import { listenApp, type Served } from '../support/loopback.ts';
import { failures, profileOf, REFERENCE_PROFILE, runSuite, serveReferenceStation, type ServedReference } from '../support/stationSuite.ts';

describe('station suite: the EC confers its notices to ACA (ACA-CONFERRED)', function () {
  this.timeout(60_000);
  let station: ServedReference;
  let acaServer: Served;
  const text = () => readFileSync(REFERENCE_PROFILE, 'utf8').replace('# url: http://127.0.0.1:8087', `url: ${acaServer.base}`);

  before(async () => {
    station = await serveReferenceStation();
    const profile = profileOf(readFileSync(REFERENCE_PROFILE, 'utf8'));
    const derived = profileRegistry(profile);
    if (!derived.ok) throw new Error('reference profile registry');
    const clock = new ManualClock('2026-01-15T10:00:00Z');
    const journal = new Journal();
    const gpd = createGpd({ journal, clock });
    const aca = createAca({ journal, clock, store: gpd.store, registry: () => derived.registry });
    const app = express();
    createControlAccess({ host: '127.0.0.1' }).mount(app);
    app.use(gpd.router, aca.router);
    acaServer = await listenApp(app);
  });
  after(async () => {
    await station.close();
    await acaServer.close();
  });

  const run = () => runSuite(profileOf(text()), station.urlOf('77777777777_01'), ['station-aca-conferred']);

  it('fails while the notice is not in ACA, naming the rule and what to do', async () => {
    const { result } = await run();
    const failed = result.cases[0]!.checks.filter((c) => !c.passed);
    expect(failed.map((c) => c.rule)).to.deep.equal(['ACA-CONFERRED']);
    expect(failed[0]!.name).to.match(/^ACA-CONFERRED: notice \d{18} of EC 77777777777 is in ACA/);
    expect(failed[0]!.mismatch!.hint).to.match(/paCreatePosition/);
  });

  it('passes once the reference back office conferred its positions over HTTP, and fails when ACA holds another amount', async () => {
    const conferred = await station.stations.conferToAca('77777777777_01', `${acaServer.base}/aca/v1`, DEFAULT_SUBSCRIPTION_KEY);
    expect(conferred.length).to.be.greaterThan(5);
    expect(
      conferred.filter((c) => c.status !== 200),
      JSON.stringify(conferred.filter((c) => c.status !== 200)),
    ).to.deep.equal([]);
    const ok = await run();
    expect(failures(ok.result)).to.deep.equal([]);
    expect(ok.result.cases[0]!.state).to.equal('passed');

    const n = ok.plan.cases.get('station-aca-conferred')!.bindings['n']!;
    const r = await fetch(`${acaServer.base}/aca/v1/paCreatePosition`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'ocp-apim-subscription-key': DEFAULT_SUBSCRIPTION_KEY },
      body: JSON.stringify({
        paFiscalCode: n.fiscalCode,
        entityType: 'F',
        entityFiscalCode: 'RSSMRA80A01H501U',
        entityFullName: 'Mario Rossi',
        iuv: n.noticeNumber.slice(1),
        nav: n.noticeNumber,
        amount: 1,
        description: 'stale',
        expirationDate: '2026-12-31T00:00:00Z',
      }),
    });
    expect(r.status).to.equal(200);
    const stale = await run();
    const failed = stale.result.cases[0]!.checks.filter((c) => !c.passed);
    expect(failed.map((c) => c.rule)).to.deep.equal(['ACA-CONFERRED']);
    expect(failed[0]!.mismatch!.actual).to.equal('1 eurocent');
  });

  it('without aca.url against a station of yours the check is skipped with what to add', async () => {
    const { result } = await runSuite(profileOf(REFERENCE_PROFILE), station.urlOf('77777777777_01'), ['station-aca-conferred']);
    const c = result.cases[0]!;
    expect(c.state).to.equal('skipped');
    expect(c.state === 'skipped' ? c.reason : '').to.match(/station-harness aca --profile .* --port 8087/);
  });

  it('station-harness aca: exit 2 without a profile or registry, or with both', async () => {
    for (const args of [['aca'], ['aca', '--profile', REFERENCE_PROFILE, '--registry', 'x.yaml']]) {
      const r = await runInProcess(args);
      expect(r.code, args.join(' ')).to.equal(2);
      expect(r.stderr).to.match(/^Failed to start ACA: give exactly one of --profile/);
    }
  });
});

describe('station suite: a catalogue station that rejects stand-in receipts (STANDIN-RECEIPT)', function () {
  this.timeout(60_000);
  it('fails every stand-in receipt scenario, naming the rule, while the ordinary receipt passes', async () => {
    const broken = await serveReferenceStation([], undefined, ['rejects-standin-receipts']);
    try {
      const ids = [
        'station-standin-receipt-unknown-notice',
        'station-standin-receipt-paid-notice',
        'station-standin-receipt-expired-notice',
        'station-standin-receipt-cancelled-notice',
        'station-standin-receipt-other-amount',
        'station-payment-full',
      ];
      const { result } = await runSuite(profileOf(REFERENCE_PROFILE), broken.urlOf('77777777777_01'), ids);
      const state = Object.fromEntries(result.cases.map((c) => [c.id, c.state]));
      expect(state['station-payment-full']).to.equal('passed');
      for (const id of ids.slice(0, 5)) {
        expect(state[id], id).to.equal('failed');
        const f = result.cases.find((c) => c.id === id)!.checks.filter((k) => !k.passed);
        expect(
          f.map((k) => k.rule),
          id,
        ).to.deep.equal(['STANDIN-RECEIPT']);
        expect(f[0]!.mismatch!.actual).to.match(/KO PAA_PAGAMENTO_SCONOSCIUTO/);
      }
    } finally {
      await broken.close();
    }
  });
});
