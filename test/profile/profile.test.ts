/**
 * Station profiles (issue 12 item 1): the template, the reference and minimal profiles load;
 * every mistake is an error at file:line:col saying what to do; unknown notices are generated
 * with a valid check digit; the mock Nodo's registry derived from a profile knows the station,
 * its ECs, IBANs and secondary ECs; init writes the template and never overwrites.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { routeNotice } from '../../src/nodo/routing.ts';
import { SCENARIOS_DIR } from '../../src/paths.ts';
import { loadProfile, parseProfile, profileRegistry, PROFILE_TEMPLATE, type ProfileResult } from '../../src/profile/index.ts';
import { hasValidCheckDigit } from '../../src/station/noticeNumber.ts';
import { runInProcess } from '../support/cli.ts';

const MINIMAL = `station:
  url: http://127.0.0.1:8080/paForNode
  idBrokerPA: "77777777777"
  idStation: "77777777777_01"
  primitiveVersion: 2
ecs:
  - fiscalCode: "77777777777"
    segregationCodes: ["01"]
notices:
  payable: ["301000000000100121"]
`;

function errors(r: ProfileResult): string[] {
  expect(r.ok, 'the profile should be refused').to.equal(false);
  return r.ok ? [] : r.issues.map((i) => `${i.source}:${i.line}:${i.col} ${i.code} ${i.message}`);
}

describe('station profile', () => {
  it('loads the template init writes, and the reference and minimal profiles of scenarios/fixtures', () => {
    for (const [name, r] of [
      ['template', parseProfile(PROFILE_TEMPLATE, 'station.yaml')],
      ['reference', loadProfile(join(SCENARIOS_DIR, 'fixtures', 'station.reference.yaml'))],
      ['minimal', loadProfile(join(SCENARIOS_DIR, 'fixtures', 'station.minimal.yaml'))],
    ] as const) {
      expect(r.ok, `${name}: ${r.ok ? '' : r.issues.map((i) => i.message).join('; ')}`).to.equal(true);
    }
    const r = parseProfile(MINIMAL, 'station.yaml');
    if (!r.ok) throw new Error('minimal profile refused');
    expect(r.profile.station.timeouts).to.deep.equal({ paVerifyPaymentNotice: 7000, paGetPayment: 7000, paSendRT: 15000 });
    expect(r.profile.notices.payable.map((n) => `${n.fiscalCode}/${n.noticeNumber}`)).to.deep.equal(['77777777777/301000000000100121']);
  });

  it("generates an unknown notice of the station's own EC and code, with a valid check digit, unlike any listed notice", () => {
    const r = parseProfile(MINIMAL, 'station.yaml');
    if (!r.ok) throw new Error('refused');
    const [u] = r.profile.notices.unknown;
    expect(u?.generated).to.equal(true);
    expect(u?.fiscalCode).to.equal('77777777777');
    expect(u?.noticeNumber).to.match(/^301\d{15}$/);
    expect(hasValidCheckDigit(u!.noticeNumber)).to.equal(true);
    expect(u?.noticeNumber).to.not.equal('301000000000100121');
  });

  it('refuses mistakes at file:line:col, saying what to do', () => {
    const cases: Array<[string, RegExp]> = [
      [MINIMAL.replace('primitiveVersion: 2', 'primitiveVersion: 2\n  idStaton: x'), /station\.yaml:6:\d+ PROFILE_SCHEMA .*unknown key 'idStaton' in station/],
      [
        MINIMAL.replace('["301000000000100121"]', '[301000000000100121]'),
        /station\.yaml:10:13 PROFILE_SCHEMA .*notices\.payable\[0\] must be a quoted notice number of 18 digits/,
      ],
      [
        MINIMAL.replace('["301000000000100121"]', '["302000000000200138"]'),
        /station\.yaml:10:13 PROFILE_NOTICE_ROUTE .*302000000000200138 reaches none of the ecs .*its code 02/,
      ],
      [`${MINIMAL}  expired: ["301000000000100121"]\n`, /station\.yaml:11:13 PROFILE_NOTICE_STATE .*listed as payable and as expired/],
      [
        `${MINIMAL}  stamp: ["301000000000100424"]\n`.replace('primitiveVersion: 2', 'primitiveVersion: 1'),
        /station\.yaml:11:10 PROFILE_STAMP_VERSION .*needs primitiveVersion 2/,
      ],
      [MINIMAL.replace('    segregationCodes: ["01"]\n', ''), /station\.yaml:7:5 PROFILE_EC_ROUTE .*no notice can reach your station/],
      [
        MINIMAL.replace('segregationCodes: ["01"]', 'segregationCodes: ["01"]\n    ibans: [IT60-X054]'),
        /station\.yaml:9:13 PROFILE_IBAN_FORM .*'IT60-X054' .* not well formed/,
      ],
      [`${MINIMAL}secondaryEcs:\n  - fiscalCode: "77777777777"\n`, /station\.yaml:12:17 PROFILE_DUPLICATE_EC .*listed twice/],
      ['station: [1\n', /station\.yaml:\d+:\d+ PROFILE_YAML Failed to read the station profile/],
    ];
    for (const [text, re] of cases) expect(errors(parseProfile(text, 'station.yaml')).join('\n')).to.match(re);
    expect(errors(loadProfile(join(tmpdir(), 'no-such-profile.yaml'))).join('\n')).to.match(/PROFILE_IO .*no such file/);
  });

  it('derives the mock Nodo registry: the station at its URL, its EC routes, IBANs, postal accounts, secondary ECs and broadcast, and the harness PSP', () => {
    const r = loadProfile(join(SCENARIOS_DIR, 'fixtures', 'station.reference.yaml'));
    if (!r.ok) throw new Error('refused');
    const d = profileRegistry(r.profile);
    if (!d.ok) throw new Error(d.issues.map((i) => i.message).join('; '));
    const reg = d.registry;
    expect(reg.stations).to.have.length(1);
    expect(reg.stations[0]).to.deep.include({
      stationCode: '77777777777_01',
      brokerCode: '77777777777',
      primitiveVersion: 2,
      endpoint: 'http://127.0.0.1:8080/stations/77777777777_01',
    });
    expect(reg.creditorInstitutions.find((c) => c.fiscalCode === '11111111111')?.ibans).to.deep.equal(['IT60X0542811101000000654321']);
    expect(reg.creditorInstitutions.find((c) => c.fiscalCode === '77777777777')?.postalAccounts).to.deep.equal(['000012345678']);
    expect(reg.associations.filter((a) => a.stationCode === '77777777777_01').map((a) => `${a.fiscalCode}/${a.segregationCode}/${a.broadcast}`)).to.deep.equal([
      '77777777777/01/true',
    ]);
    const route = routeNotice(reg, '77777777777', '301000000000100121');
    expect(route.ok && route.route.station.stationCode).to.equal('77777777777_01');
    expect(reg.channels[0]).to.deep.include({ channelCode: '88888888888_01', primitiveVersion: 2 });
    expect(
      profileRegistry(r.profile, { endpoint: 'reference' }).ok &&
        (profileRegistry(r.profile, { endpoint: 'reference' }) as { registry: { stations: Array<{ endpoint: string }> } }).registry.stations[0]!.endpoint,
    ).to.equal('reference');
  });
});

describe('station-harness init', () => {
  it('writes the commented template, then refuses to overwrite it (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'init-'));
    const file = join(dir, 'station.yaml');
    const first = await runInProcess(['init', file]);
    expect(first.code, first.stderr).to.equal(0);
    expect(readFileSync(file, 'utf8')).to.equal(PROFILE_TEMPLATE);
    expect(first.stderr).to.contain(`check --profile ${file}`);
    writeFileSync(file, 'mine');
    const again = await runInProcess(['init', file]);
    expect(again.code, again.stderr).to.equal(2);
    expect(again.stderr).to.match(/Failed to write .*station\.yaml: it already exists, and init never overwrites/);
    expect(readFileSync(file, 'utf8')).to.equal('mine');
  });
});
