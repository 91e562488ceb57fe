/**
 * The CI proof of issue 12: every broken station of the catalogue (src/station/defects.ts) is
 * served as its OWN process (`station-harness station --defect <name>`, spawned), the station
 * suite (scenarios/station/, `check --profile` with the reference profile) runs against it, and
 * the checks of the rules named for that defect fail with the rule in the message: no broken
 * station passes. The unbroken station, served the same way, passes every check.
 * Processes start a few at a time; each runs only the suite scenarios that judge its rules.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStationProcess } from '../../bench/stationProcess.ts';
import { SCENARIOS_DIR } from '../../src/paths.ts';
import type { RunResult } from '../../src/report/index.ts';
import { startSendGateway } from '../../src/scenario/sendGateway.ts';
import { DEFECTS, type DefectEntry } from '../../src/station/defects.ts';
import { profileOf, REFERENCE_PROFILE, runSuite, stationSuite } from '../support/stationSuite.ts';

const STATION = '77777777777_01';
const AT_ONCE = 4;
const FIXTURES = [join(SCENARIOS_DIR, 'fixtures', 'positions.default.yaml'), join(SCENARIOS_DIR, 'fixtures', 'positions.send.yaml')];
/**
 * positions.send.yaml bounds the station's call to SEND's price at 1 s; with several station
 * processes and runs at once on a loaded machine a price answer can take longer, and the station
 * then serves its SYNC notice without the fee (a verdict that would depend on timing). The proof is
 * about the defects, so its stations wait up to 10 s for SEND (a later positions file wins).
 */
let sendTimeoutFile = '';

interface Proof {
  result?: RunResult;
  ran: string[];
  error?: string;
}

/** The suite scenarios that judge a defect's rules (or the entry's own short list). */
async function scenariosFor(d: DefectEntry): Promise<string[]> {
  if (d.suite) return d.suite;
  const suite = await stationSuite();
  return suite.filter((s) => d.rules.some((r) => JSON.stringify(s.steps).includes(`"${r}"`))).map((s) => s.id);
}

async function prove(defect: DefectEntry | undefined): Promise<Proof> {
  const ran = defect ? await scenariosFor(defect) : (await stationSuite()).map((s) => s.id);
  // As a user serves it (README): both fixtures, its SYNC notice asking SEND's price at the address the
  // run routes to the running scenario (check --send-port); one gateway per proof, as proofs run at once.
  const gateway = await startSendGateway({ port: 0 });
  const station = await startStationProcess({ positions: [...FIXTURES, sendTimeoutFile], sendUrl: gateway.url, defects: defect ? [defect.name] : [] }).catch(
    async (e: Error) => {
      await gateway.close();
      throw e;
    },
  );
  try {
    const url = station.urls[STATION];
    if (!url) return { ran, error: `station ${STATION} not printed by the process` };
    const reference = profileOf(REFERENCE_PROFILE);
    const timeouts = { ...reference.station.timeouts, ...defect?.proofTimeouts };
    const { result } = await runSuite({ ...reference, station: { ...reference.station, timeouts } }, url, ran, gateway);
    return { result, ran };
  } catch (e) {
    return { ran, error: (e as Error).message };
  } finally {
    await station.stop();
    await gateway.close();
  }
}

async function inBatches<T, R>(items: T[], size: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

/** Every failed check, with its scenario and the rule of the root cause it is folded under (report/fold.ts). */
const failedChecks = (r: RunResult) =>
  r.cases.flatMap((c) =>
    c.checks.filter((k) => !k.passed).map((k) => ({ caseId: c.id, ...k, ...(k.causedBy !== undefined ? { foldedUnder: c.checks[k.causedBy]?.rule } : {}) })),
  );

describe('broken stations served as their own process fail the station suite, naming the rule', function () {
  this.timeout(900_000);
  const proofs = new Map<string, Proof>();

  let dir = '';
  after(() => rmSync(dir, { recursive: true, force: true }));

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'defects-proof-'));
    sendTimeoutFile = join(dir, 'send-timeout.yaml');
    writeFileSync(sendTimeoutFile, 'sendTimeout: 10s\npositions: []\n');
    // The slow station's proof takes longest (each of its scenarios waits out a timeout): started first, it
    // runs beside the others instead of after them.
    const all: Array<DefectEntry | undefined> = [...DEFECTS.filter((d) => d.name === 'slow'), undefined, ...DEFECTS.filter((d) => d.name !== 'slow')];
    const done = await inBatches(all, AT_ONCE, prove);
    all.forEach((d, i) => {
      proofs.set(d?.name ?? '(none)', done[i]!);
    });
  });

  it('the unbroken reference station, served the same way, passes every check of the station suite', () => {
    const p = proofs.get('(none)')!;
    expect(p.error).to.equal(undefined);
    const bad = failedChecks(p.result!).map((k) => `${k.caseId}: ${k.name}`);
    expect(bad).to.deep.equal([]);
    // station-aca-conferred needs aca.url (a harness ACA the back office confers to): test/scenario/stationStandIn.test.ts runs it.
    expect(
      p.result!.cases.filter((c) => c.state !== 'passed' && c.id !== 'station-aca-conferred').map((c) => `${c.id} ${c.state} ${'reason' in c ? c.reason : ''}`),
    ).to.deep.equal([]);
    expect(p.result!.cases.length).to.equal(p.ran.length);
  });

  for (const d of DEFECTS) {
    it(`${d.name}: ${d.rules.join(', ')} fail with the rule in the message`, async () => {
      const p = proofs.get(d.name)!;
      expect(p.error, `${d.name}: ${p.error}`).to.equal(undefined);
      expect(p.ran.length, `${d.name}: no station-suite scenario judges ${d.rules.join(', ')}`).to.be.greaterThan(0);
      const failed = failedChecks(p.result!);
      expect(failed.length, `${d.name}: the broken station passed every check of ${p.ran.join(', ')}`).to.be.greaterThan(0);
      for (const rule of d.rules) {
        const caught = failed.filter((k) => k.rule === rule && k.name.includes(rule));
        expect(
          caught.length,
          `${d.name}: no failed check of rule ${rule}; failed: ${failed.map((k) => `${k.caseId} ${k.name}`).join(' | ')}`,
        ).to.be.greaterThan(0);
      }
      // A broken station is a failure of the station, never a harness error (a scenario that hung, e.g. waiting out a slow station).
      expect(
        p.result!.cases.filter((c) => c.state === 'errored').map((c) => `${c.id}: ${'reason' in c ? c.reason : ''}`),
        d.name,
      ).to.deep.equal([]);
      if (d.roots) {
        const roots = [...new Set(failed.filter((k) => k.causedBy === undefined).map((k) => k.rule))].sort();
        expect(
          roots,
          `${d.name}: root causes once knock-ons are folded; failed: ${failed.map((k) => `${k.caseId} ${k.rule} ${k.causedBy ?? 'root'}`).join(' | ')}`,
        ).to.deep.equal([...d.roots].sort());
      }
      for (const rule of d.folded ?? []) {
        const knockOns = failed.filter((k) => k.rule === rule);
        expect(knockOns.length, `${d.name}: no failed check of ${rule} (a knock-on of ${(d.roots ?? []).join(', ')})`).to.be.greaterThan(0);
        expect(
          knockOns
            .filter((k) => !d.roots?.includes(k.foldedUnder ?? ''))
            .map((k) => `${k.caseId}: ${k.rule} ${k.foldedUnder ? `folded under ${k.foldedUnder}` : 'a root'}`),
          `${d.name}: ${rule} fails only folded under ${(d.roots ?? []).join(', ')}`,
        ).to.deep.equal([]);
        // In every scenario of the proof that judges it (e.g. each stand-in receipt of the slow station).
        const judging = (await stationSuite()).filter((s) => p.ran.includes(s.id) && JSON.stringify(s.steps).includes(`"${rule}"`)).map((s) => s.id);
        expect([...new Set(knockOns.map((k) => k.caseId))].sort(), `${d.name}: the scenarios where ${rule} fails`).to.deep.equal(judging.sort());
      }
    });
  }
});
