/**
 * No verdict depends on timing (issue 12): what a step started (receipt deliveries, a station
 * still answering after the Nodo gave up) settles before the step's checks, and an `invalid:`
 * declaration is checked whichever step the invalid message lands in. Each case below is built so
 * that the old race (checks read before the delivery finished; `invalid:` only tolerated outside
 * its step) gives the other verdict: a slow receipt answer, a station slower than the Nodo's timeout.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { RunEmitter, type CaseEnd } from '../../src/scenario/events.ts';
import type { Check } from '../../src/scenario/expect.ts';
import { loadScenarioFile } from '../../src/scenario/load.ts';
import { runScenarios } from '../../src/scenario/run.ts';
import type { Exchange } from '../../src/soap/exchange.ts';

interface Ran {
  end: CaseEnd;
  checks: Array<{ step: number; check: Check }>;
  exchanges: Array<{ step: number; exchange: Exchange }>;
}

describe('verdicts that do not depend on timing', function () {
  this.timeout(30_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'scn-settle-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function run(name: string, lines: string[]): Promise<Ran> {
    const p = join(dir, `${name}.yaml`);
    writeFileSync(p, `${lines.join('\n')}\n`);
    const loaded = await loadScenarioFile(p);
    expect(loaded.issues.map((i) => `${i.line}:${i.col} ${i.message}`)).to.deep.equal([]);
    const emitter = new RunEmitter();
    const out: Ran = { end: undefined as unknown as CaseEnd, checks: [], exchanges: [] };
    emitter.on('check', (e) => out.checks.push({ step: e.step, check: e.check }));
    emitter.on('exchange', (e) => out.exchanges.push({ step: e.step, exchange: e.exchange }));
    emitter.on('case:end', (e) => {
      out.end = e;
    });
    await runScenarios(loaded.file.scenarios, emitter, { jobs: 1 });
    return out;
  }
  const failed = (r: Ran) => r.checks.filter((c) => !c.check.passed).map((c) => c.check);

  it('counts the receipt an outcome started in stationCalls even when the station answers it slowly', async () => {
    const r = await run('slow-receipt', [
      'id: slow-receipt',
      'title: stationCalls of an OK outcome includes its receipt, however slow the answer',
      'setup:',
      '  notice: { noticeNumber: "301000000001100574" }',
      '  inject: [{ station: "77777777777_01", operation: paSendRTV2, delay: 400ms }]',
      'steps:',
      '  - activatePaymentNoticeV2:',
      '  - sendPaymentOutcomeV2:',
      '    expect: { outcome: OK, stationCalls: { "77777777777_01": 1 } }',
      '  - expectDeliveries: { station: "77777777777_01", state: delivered, attempts: 1, answer: { outcome: OK } }',
    ]);
    expect(failed(r)).to.deep.equal([]);
    expect(r.end.state).to.equal('passed');
  });

  it('records a station that answers after the Nodo gave up in the step that called it', async () => {
    const r = await run('late-station', [
      'id: late-station',
      'title: The reference station answers the receipt after the Nodo timed out',
      'setup:',
      '  notice: { noticeNumber: "301000000001100574" }',
      '  registryPatch:',
      '    stations:',
      '      - { stationCode: "77777777777_01", timeouts: { paSendRT: 150ms } }',
      '  inject: [{ station: "77777777777_01", operation: paSendRTV2, delay: 700ms, times: 1 }]',
      'steps:',
      '  - activatePaymentNoticeV2:',
      '  - sendPaymentOutcomeV2:',
      '  - expectDeliveries: { station: "77777777777_01", state: pending, attempts: 1, answer: { outcome: none, failure: timeout } }',
    ]);
    expect(failed(r)).to.deep.equal([]);
    const stationSide = r.exchanges.filter((e) => e.exchange.party === 'station:77777777777_01' && e.exchange.operation === 'paSendRTV2');
    expect(stationSide.map((e) => e.step)).to.deep.equal([1]);
  });

  it('takes a declared-invalid receipt answer that arrives in a later step as the declared one', async () => {
    const r = await run('late-invalid', [
      'id: late-invalid',
      'title: The invalid answer comes on the retry, one step after the declaration',
      'setup:',
      '  notice: { noticeNumber: "301000000001100574" }',
      '  inject:',
      '    - { station: "77777777777_01", operation: paSendRTV2, action: http500, times: 1 }',
      '    - { station: "77777777777_01", operation: paSendRTV2, action: { mutate: remove, path: outcome }, times: 1 }',
      'steps:',
      '  - activatePaymentNoticeV2:',
      '  - sendPaymentOutcomeV2:',
      '    expect: { invalid: [paSendRTV2Response] }',
      '  - advance: 1h',
      '  - expectDeliveries: { station: "77777777777_01", state: pending, attempts: 2, answer: [{ attempt: 1, failure: http-status }, { attempt: 2, failure: schema-invalid }] }',
    ]);
    expect(failed(r)).to.deep.equal([]);
    const stated = r.checks.filter((c) => /is schema-invalid, as stated/.test(c.check.name));
    expect(stated.map((c) => [c.step, c.check.passed])).to.deep.equal([[2, true]]);
    expect(stated[0]!.check.name).to.include('as stated at line 10');
  });

  it('fails a declared-invalid message that is never invalid, naming it, even when other answers of that name are valid', async () => {
    const r = await run('never-invalid', [
      'id: never-invalid',
      'title: invalid declared, every receipt answer valid',
      'setup:',
      '  notice: { noticeNumber: "301000000001100574" }',
      'steps:',
      '  - activatePaymentNoticeV2:',
      '  - sendPaymentOutcomeV2:',
      '    expect: { invalid: [paSendRTV2Response] }',
      '  - advance: 1h',
    ]);
    expect(r.end.state).to.equal('failed');
    const bad = failed(r);
    expect(bad).to.have.length(1);
    expect(bad[0]!.name).to.equal('paSendRTV2Response is schema-invalid, as stated');
    expect(bad[0]!.line).to.equal(7);
    expect(bad[0]!.mismatch?.actual, bad[0]!.mismatch?.actual).to.match(/every paSendRTV2Response from step 2 \(line 7\) on was schema-valid \(2 seen\)/); // the primary station and the EC's broadcast station
    expect(r.checks.find((c) => c.check === bad[0])?.step).to.equal(1);
  });

  it('does not take an answer that is no SOAP message (HTTP 500 page) as a schema-invalid one', async () => {
    const r = await run('http500-declared', [
      'id: http500-declared',
      'title: invalid declared for an HTML error page',
      'setup:',
      '  notice: { noticeNumber: "301000000001100574" }',
      '  inject: [{ station: "77777777777_01", operation: paGetPaymentV2, action: http500 }]',
      'steps:',
      '  - activatePaymentNoticeV2:',
      '    expect: { outcome: KO, faultCode: PPT_STAZIONE_INT_PA_ERRORE_RESPONSE, invalid: [paGetPaymentV2Response] }',
    ]);
    const bad = failed(r);
    expect(bad.map((c) => c.name)).to.deep.equal(['paGetPaymentV2Response is schema-invalid, as stated']);
    expect(bad[0]!.mismatch?.actual).to.match(/^no paGetPaymentV2Response was exchanged .*transport failure/);
  });

  it('needs one invalid message per declaration', async () => {
    const r = await run('two-declarations', [
      'id: two-declarations',
      'title: two steps declare an invalid receipt answer, only one comes',
      'setup:',
      '  notice: { noticeNumber: "301000000001100574" }',
      '  inject: [{ station: "77777777777_01", operation: paSendRTV2, action: { mutate: remove, path: outcome }, times: 1 }]',
      'steps:',
      '  - activatePaymentNoticeV2:',
      '  - sendPaymentOutcomeV2:',
      '    expect: { invalid: [paSendRTV2Response] }',
      '  - activatePaymentNoticeV2: { noticeNumber: "301000000001100675" }',
      '    expect: { invalid: [paSendRTV2Response] }',
      '  - advance: 1h',
    ]);
    const bad = failed(r);
    expect(bad.map((c) => [c.name, c.line])).to.deep.equal([['paSendRTV2Response is schema-invalid, as stated', 10]]);
  });
});
