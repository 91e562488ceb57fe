/**
 * The station suite against a station served as one long-lived server that keeps its state
 * (issue 12 items 1-3): a correct station passes every check run after run when its data is
 * reloaded between runs, and every pass exchanged messages with it; without reloading, the
 * failure blames the data, not the station; a minimal profile runs what it can and says what
 * to add; a primitive-version-1 station gets the V1 primitives, and a receipt with an optional
 * element it does not expect.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { consumedNotices } from '../../src/scenario/stationPlan.ts';
import type { Position } from '../../src/station/index.ts';
import { startSendGateway, type SendGateway } from '../../src/scenario/sendGateway.ts';
import {
  failures,
  MINIMAL_PROFILE,
  profileOf,
  REFERENCE_PROFILE,
  runSuite,
  serveReferenceStation,
  stationSuite,
  type ServedReference,
} from '../support/stationSuite.ts';

describe('the station suite against a long-lived station (check --profile)', function () {
  this.timeout(120_000);
  let station: ServedReference;
  let gateway: SendGateway;
  const reload = () => station.stations.reset();
  // A second payable V1 notice for the primitive-version-1 station 77777777777_02.
  const v1Extra: Position = {
    fiscalCode: '77777777777',
    noticeNumber: '302000000000200239',
    iuv: '02000000000200239',
    station: '77777777777_02',
    state: 'payable',
    description: 'Diritti V1',
    companyName: 'Comune di Esempio',
    dueDate: '2099-12-31',
    debtor: { type: 'F', id: 'RSSMRA80A01H501U', fullName: 'Mario Rossi' },
    transfers: [
      {
        fiscalCode: '77777777777',
        amountCents: 1500,
        iban: 'IT60X0542811101000000123456',
        remittanceInformation: 'Diritti',
        category: '0101101IM',
        metadata: [],
      },
    ],
    metadata: [],
    send: false,
  };

  before(async () => {
    // The SEND address a SYNC station asks the price at (check --send-port), routed to the running scenario.
    gateway = await startSendGateway({ port: 0 });
    station = await serveReferenceStation([v1Extra], gateway.url);
  });
  after(async () => {
    await station.close();
    await gateway.close();
  });

  it('passes every check of a correct station, twice in a row with its data reloaded in between; every pass exchanged messages with it', async () => {
    const profile = profileOf(REFERENCE_PROFILE);
    const url = station.urlOf('77777777777_01');
    for (let run = 1; run <= 2; run++) {
      reload();
      const { result, plan } = await runSuite(profile, url, undefined, gateway);
      expect(failures(result), `run ${run}`).to.deep.equal([]);
      // station-aca-conferred needs aca.url (the harness ACA the back office confers to): test/scenario/stationStandIn.test.ts runs it.
      expect(result.counts.errored, `run ${run}`).to.equal(0);
      expect(
        result.cases.filter((c) => c.state === 'skipped').map((c) => c.id),
        `run ${run}`,
      ).to.deep.equal(['station-aca-conferred']);
      expect(result.counts.passed).to.equal((await stationSuite()).length - 1);
      expect(result.counts.stationPasses).to.equal(result.counts.passed);
      for (const c of result.cases.filter((x) => x.state !== 'skipped')) expect(c.stationExchanges, c.id).to.be.greaterThan(0);
      // The rules the issue names are all judged.
      const rules = new Set(result.cases.flatMap((c) => c.checks.map((k) => k.rule)));
      for (const r of [
        'NOTICE-PAYABLE',
        'NOTICE-UNKNOWN',
        'STANDIN-PROBE',
        'NOTICE-EXPIRED',
        'NOTICE-CANCELLED',
        'NOTICE-PAID',
        'HEADER-IDPA',
        'HEADER-IDBROKERPA',
        'HEADER-IDSTATION',
        'SYNTAX-INVALID',
        'UNKNOWN-BODY',
        'SOAP-PREFIXES',
        'SOAP-ACTION-FORMS',
        'ACTIVATE-VIA-NODO',
        'GETPAYMENT-REPEATABLE',
        'RECEIPT-ACCEPTED',
        'PAID-AFTER-RECEIPT',
        'RECEIPT-DUPLICATE',
        'RECEIPT-ALL-OPTIONAL',
        'RECEIPT-BROADCAST',
        'HTTP-SOAP-ANSWER',
        'ANSWER-TIME',
        'XSD-ANSWER',
        'SEND-FEE',
        'AMOUNT-SUM',
        'AMOUNT-VERIFY',
        'IBAN-REGISTERED',
        'CREDITOR-REFERENCE',
        'VERSION-ELEMENT',
      ])
        expect(rules.has(r), r).to.equal(true);
      for (const c of result.cases) for (const k of c.checks.filter((x) => x.rule)) expect(k.source, k.name).to.match(/§|SOAP|XML/);
      // Each payable notice is paid at most once, and the run says which.
      const paid = consumedNotices(plan, new Set(result.cases.map((c) => c.id))).map((x) => x.binding.noticeNumber);
      // 3 paid through the Nodo, 5 by stand-in receipts (unknown, paid, expired, cancelled, another amount).
      expect(paid).to.have.length(8);
      expect(new Set(paid).size).to.equal(8);
    }
  });

  it('without reloading, says the profile declares a paid notice payable and that the data must be reloaded', async () => {
    const profile = profileOf(REFERENCE_PROFILE);
    const url = station.urlOf('77777777777_01');
    reload();
    await runSuite(profile, url, ['station-payment-full']);
    const { result } = await runSuite(profile, url, ['station-verify-payable', 'station-getpayment-payable']);
    const f = result.cases.flatMap((c) => c.checks.filter((k) => !k.passed));
    expect(f.map((k) => k.rule)).to.deep.equal(['NOTICE-PAYABLE', 'NOTICE-PAYABLE']);
    expect(f[0]!.mismatch!.hint).to.match(
      /^the profile declares 301000000000100121 \(EC 77777777777\) payable; the station answered KO PAA_PAGAMENTO_DUPLICATO: it holds the notice as already paid, probably by an earlier run\. Reload your station's test data/,
    );
    // The later steps of the scenario are not run on a false premise: one failure, not a cascade.
    const gp = result.cases.find((c) => c.id === 'station-getpayment-payable')!;
    expect(gp.steps).to.have.length(1);
    expect(gp.findings.map((x) => x.code)).to.include('STEPS_NOT_RUN');
  });

  it('when the Nodo refuses an IBAN or a beneficiary EC the profile does not list, the failure says the profile may be what to fix', async () => {
    // The reference profile without the IBAN IT02L... of transfer 2 and without secondary EC 22222222222 (transfer 4).
    const text = readFileSync(REFERENCE_PROFILE, 'utf8')
      .replace('IT60X0542811101000000123456, IT02L1234512345123456789012, ', 'IT60X0542811101000000123456, ')
      .replace(/ {2}- fiscalCode: "22222222222"\n {4}companyName: [^\n]*\n {4}ibans: \[[^\]]*\]\n/, '');
    expect(text).to.not.include('IT02L1234512345123456789012').and.not.include('22222222222');
    reload();
    const { result } = await runSuite(profileOf(text), station.urlOf('77777777777_01'), ['station-activate-via-nodo-multi-beneficiary']);
    const root = result.cases[0]!.checks.find((k) => !k.passed && k.causedBy === undefined)!;
    expect(root.rule).to.equal('ACTIVATE-VIA-NODO');
    expect(root.mismatch!.actual).to.match(/PPT_STAZIONE_INT_PA_ERRORE_RESPONSE/);
    expect(root.mismatch!.hint).to.match(/IBAN_REGISTERED: transfer\[2\]\/IBAN IT02L1234512345123456789012 is not registered/);
    expect(root.mismatch!.hint).to.match(
      /The mock Nodo knows the IBANs station\.yaml lists: if the IBAN named above is registered with pagoPA for its EC, add it to that EC's ibans in station\.yaml; otherwise fix the station/,
    );
    expect(root.mismatch!.hint).to.match(
      /The mock Nodo knows the ECs station\.yaml lists: if the EC named above is a real beneficiary of the notice, add it under secondaryEcs in station\.yaml/,
    );
    // The same refusal against the full profile does not happen: the hint is about the data.
    reload();
    const ok = await runSuite(profileOf(REFERENCE_PROFILE), station.urlOf('77777777777_01'), ['station-activate-via-nodo-multi-beneficiary']);
    expect(failures(ok.result)).to.deep.equal([]);
  });

  it('runs a minimal profile (one payable notice) and says, for every check it could not run, what to add', async () => {
    reload();
    const { result, plan } = await runSuite(profileOf(MINIMAL_PROFILE), station.urlOf('77777777777_01'));
    expect(failures(result)).to.deep.equal([]);
    expect(result.counts.passed).to.be.greaterThan(10);
    const skipped = Object.fromEntries(result.cases.filter((c) => c.state === 'skipped').map((c) => [c.id, c.state === 'skipped' ? c.reason : '']));
    expect(skipped['station-expired-notice']).to.match(/add notices\.expired: \["<notice number>"\] to .*station\.minimal\.yaml/);
    expect(skipped['station-paid-notice']).to.match(/add notices\.paid/);
    expect(skipped['station-verify-multi-beneficiary']).to.match(/add notices\.multiBeneficiary/);
    expect(skipped['station-getpayment-stamp']).to.match(/add notices\.stamp/);
    expect(skipped['station-receipt-broadcast']).to.match(/add broadcast: true to that EC/);
    // One payable notice: the first payer pays it, the second is skipped with "one more".
    expect(skipped['station-receipt-all-optional']).to.match(/paid by station-payment-full in this run .*add one more notice to notices\.payable/);
    expect(result.cases.find((c) => c.id === 'station-payment-full')?.state).to.equal('passed');
    expect(plan.pays.find((p) => p.role === 'payable')).to.deep.equal({ role: 'payable', needed: 3, listed: 1 });
  });

  const v1Profile = `station:
  url: http://127.0.0.1:1/unused
  idBrokerPA: "77777777777"
  idStation: "77777777777_02"
  primitiveVersion: 1
ecs:
  - fiscalCode: "77777777777"
    segregationCodes: ["02"]
    ibans: [IT60X0542811101000000123456]
notices:
  payable: ["302000000000200138", "302000000000200239"]
`;

  it('probes a primitive-version-1 station with an unexpected optional element: one that crashes on the receipt metadata fails RECEIPT-ALL-OPTIONAL, and only that', async () => {
    // crash-on-optional-element (src/station/defects.ts): on paSendRT, the receipt's metadata, which the all-optional receipt carries and the Nodo's ordinary one does not.
    const broken = await serveReferenceStation([v1Extra], undefined, ['crash-on-optional-element']);
    try {
      const { result } = await runSuite(profileOf(v1Profile), broken.urlOf('77777777777_02'), ['station-payment-full', 'station-receipt-all-optional']);
      expect(result.cases.map((c) => `${c.id} ${c.state}`)).to.deep.equal(['station-payment-full passed', 'station-receipt-all-optional failed']);
      const failed = result.cases.flatMap((c) => c.checks.filter((k) => !k.passed));
      expect(failed.map((k) => k.rule)).to.deep.equal(['RECEIPT-ALL-OPTIONAL']);
      expect(failed[0]!.name).to.match(/^RECEIPT-ALL-OPTIONAL: /);
      expect(failed[0]!.mismatch!.actual).to.match(/SOAP Fault .*HTTP 500.*unexpected element \(uri:"", local:"metadata"\)/);
      const sent = result.cases
        .find((c) => c.id === 'station-receipt-all-optional')!
        .exchanges.find((e) => e.operation === 'paSendRT' && e.to === 'station:77777777777_02');
      expect(sent?.request).to.match(/<standIn>false<\/standIn>/);
    } finally {
      await broken.close();
    }
  });

  it('a station that answers every probe in time, but slowly, passes the hour of stand-in probes: the hang guard counts time without progress, not the whole scenario', async () => {
    // 14 probes of 400 ms each (the one the scenario sends, then one every 5 minutes of the hour it
    // advances) take 5.6 s or more, past a 3 s guard, while no gap between two exchanges comes near it.
    // Before, the guard limited the whole scenario: against a station answering each probe in 5 s the
    // 60 s default ended it errored, though every answer was within the Nodo's 7 s.
    const slow = await serveReferenceStation([], undefined, ['slow=400ms']);
    try {
      const { result } = await runSuite(profileOf(REFERENCE_PROFILE), slow.urlOf('77777777777_01'), ['station-standin-probe-ends-standin'], undefined, {
        caseTimeoutMs: 3000,
      });
      const c = result.cases[0]!;
      expect(`${c.state} ${'reason' in c ? c.reason : ''}`).to.equal('passed ');
      expect(c.durationMs).to.be.greaterThan(3000);
      expect(c.exchanges.filter((e) => e.meta['standInProbe'] === true).length).to.equal(14);
    } finally {
      await slow.close();
    }
  });

  it("a probe that gives up before the profile's timeout fails STANDIN-PROBE, not ANSWER-TIME, and ends the scenario", async () => {
    // The Nodo's probe waits 300 ms; the profile's paVerifyPaymentNotice timeout is 7 s; the station answers in 2 s.
    const slow = await serveReferenceStation([], undefined, ['slow=2s']);
    try {
      const { result } = await runSuite(profileOf(REFERENCE_PROFILE), slow.urlOf('77777777777_01'), ['station-standin-probe-ends-standin'], undefined, {
        nodo: { standIn: { probeTimeout: 300 } },
      });
      const c = result.cases[0]!;
      expect(c.state).to.equal('failed');
      const failed = c.checks.filter((k) => !k.passed);
      expect(failed.map((k) => k.rule)).to.deep.equal(['STANDIN-PROBE']);
      expect(failed[0]!.mismatch!.actual).to.match(/^negative: timeout: .*300 ms/);
      expect(c.findings.map((f) => f.code)).to.include('STEPS_NOT_RUN');
      expect(c.exchanges.filter((e) => e.meta['standInProbe'] === true).length).to.equal(1);
    } finally {
      await slow.close();
    }
  });

  it('the hang guard still ends a scenario in which nothing happens: a station call that waits for its timeout longer than the guard', async () => {
    // The station holds every answer 30 s; the Nodo's paVerifyPaymentNotice timeout is 7 s; the guard 1 s.
    const hung = await serveReferenceStation([], undefined, ['slow=30s']);
    try {
      const { result } = await runSuite(profileOf(REFERENCE_PROFILE), hung.urlOf('77777777777_01'), ['station-verify-payable'], undefined, {
        caseTimeoutMs: 1000,
      });
      const c = result.cases[0]!;
      expect(`${c.state} ${'reason' in c ? c.reason : ''}`).to.match(
        /^errored Failed to finish the scenario: nothing happened for 1000 ms \(no step began, no message was exchanged\)/,
      );
    } finally {
      await hung.close();
    }
  });

  it('calls a primitive-version-1 station with paGetPayment and paSendRT, and passes it', async () => {
    reload();
    const profile = profileOf(v1Profile);
    const { result } = await runSuite(profile, station.urlOf('77777777777_02'));
    expect(failures(result)).to.deep.equal([]);
    const ops = new Set(result.cases.flatMap((c) => c.exchanges.filter((e) => e.to === 'station:77777777777_02').map((e) => e.operation)));
    expect([...ops].sort()).to.deep.equal(['paGetPayment', 'paSendRT', 'paUnknownOperation', 'paVerifyPaymentNotice']);
    expect(result.cases.find((c) => c.id === 'station-receipt-all-optional')?.state).to.equal('passed');
  });
});
