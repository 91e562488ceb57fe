import { expect } from 'chai';
import { formatRegistryIssue, parseRegistry } from '../../src/nodo/registry.ts';
import { defaultRegistry } from './helpers.ts';

const head = `creditorInstitutions:
  - { fiscalCode: "77777777777", businessName: Comune }
brokers: [{ brokerCode: B }]
stations:
  - { stationCode: S1, brokerCode: B, endpoint: reference }
  - { stationCode: S2, brokerCode: B, endpoint: reference }
associations:
`;

function rules(assocs: string): string[] {
  const r = parseRegistry(head + assocs, 'r.yaml');
  return r.ok ? [] : r.issues.map((i) => `${i.code}@${i.line}`);
}

describe('nodo registry: schema and configuration-API rules', () => {
  it('the default registry is valid', () => {
    expect(defaultRegistry().stations.length).to.be.greaterThan(3);
  });
  it('aux 3 without segregation code', () => {
    expect(rules('  - { fiscalCode: "77777777777", stationCode: S1, auxDigit: 3 }\n')).to.deep.equal(['REG_AUX3_SEGREGATION@8']);
  });
  it('aux 0 without application code', () => {
    expect(rules('  - { fiscalCode: "77777777777", stationCode: S1, auxDigit: 0 }\n')).to.deep.equal(['REG_AUX0_APPLICATION@8']);
  });
  it('aux 1/2 with codes', () => {
    expect(rules('  - { fiscalCode: "77777777777", stationCode: S1, auxDigit: 2, applicationCode: "01" }\n')).to.deep.equal(['REG_AUX12_CODES@8']);
  });
  it('duplicate segregation code per EC', () => {
    const a =
      '  - { fiscalCode: "77777777777", stationCode: S1, auxDigit: 3, segregationCode: "01" }\n  - { fiscalCode: "77777777777", stationCode: S2, auxDigit: 3, segregationCode: 1 }\n';
    expect(rules(a)).to.deep.equal(['REG_DUPLICATE_SEGREGATIONCODE@9']);
  });
  it('unknown references', () => {
    expect(rules('  - { fiscalCode: "11111111111", stationCode: S9, auxDigit: 3, segregationCode: "01" }\n')).to.deep.equal([
      'REG_UNKNOWN_REFERENCE@8',
      'REG_UNKNOWN_REFERENCE@8',
    ]);
  });
  it('schema errors name file:line:col and the key', () => {
    const r = parseRegistry(head.replace('endpoint: reference }', 'endpoint: ftp://x }'), 'r.yaml');
    expect(r.ok).to.equal(false);
    expect(formatRegistryIssue(r.issues[0]!)).to.match(
      /^r\.yaml:5:\d+ Failed to load the registry: stations\[0\]\.endpoint must be 'reference', 'gpd' or an http\(s\):\/\/ URL/,
    );
  });
  it('postalAccounts: 12 digits (leading zeros restored), unique across ECs', () => {
    const two = (a: string, b: string) =>
      `${head.replace('businessName: Comune }', `businessName: Comune, postalAccounts: [${a}] }\n  - { fiscalCode: "11111111111", businessName: Altrove, postalAccounts: [${b}] }`)}  []\n`;
    const ok = parseRegistry(two('12345678', '"000000000001"'), 'r.yaml');
    expect(ok.ok && ok.registry.creditorInstitutions.map((c) => c.postalAccounts)).to.deep.equal([['000012345678'], ['000000000001']]);
    const dup = parseRegistry(two('"000012345678"', '12345678'), 'r.yaml');
    expect(dup.ok ? [] : dup.issues.map((i) => `${i.code}@${i.line}`)).to.deep.equal(['REG_DUPLICATE_POSTALACCOUNT@3']);
    const short = parseRegistry(two('"12345678901"', '"000000000001"'), 'r.yaml');
    expect(short.ok ? [] : short.issues.map((i) => i.code)).to.deep.equal(['REG_SCHEMA']);
  });
  it('the spontaneous-payment catalogue: a provider code used twice, a provider ending before it starts, an unknown EC, two spontaneous stations for one EC', () => {
    const svc = (id: string, provider: string, extra = '') =>
      `  - { idServizio: "${id}", descrizioneServizio: D, xsdRiferimento: d.xsd, elencoSoggettiEroganti: [{ idSoggettoServizio: "${provider}", idDominio: "77777777777", dataInizioValidita: "2020-01-01"${extra} }] }\n`;
    const catalogue = (assocs: string, services: string) => {
      const r = parseRegistry(`${head}${assocs}services:\n${services}`, 'r.yaml');
      return r.ok ? [] : r.issues.map((i) => `${i.code}@${i.line}`);
    };
    const one = '  - { fiscalCode: "77777777777", stationCode: S1, auxDigit: 3, segregationCode: "01", spontaneousPayment: true }\n';
    expect(catalogue(one, svc('00001', '00001') + svc('00002', '00002'))).to.deep.equal([]);
    expect(catalogue(one, svc('00001', '00001') + svc('00002', '00001'))).to.deep.equal(['REG_DUPLICATE_SOGGETTOSERVIZIO@11']);
    expect(catalogue(one, svc('00001', '00001', ', dataFineValidita: "2019-12-31"'))).to.deep.equal(['REG_SERVICE_DATES@10']);
    expect(catalogue(one, svc('00001', '00001').replace('idDominio: "77777777777"', 'idDominio: "11111111111"'))).to.deep.equal(['REG_UNKNOWN_REFERENCE@10']);
    const two = `${one}  - { fiscalCode: "77777777777", stationCode: S2, auxDigit: 3, segregationCode: "02", spontaneousPayment: true }\n`;
    expect(catalogue(two, svc('00001', '00001'))).to.deep.equal(['REG_DUPLICATE_SPONTANEOUS@9']);
  });
  it('YAML syntax errors are located', () => {
    const r = parseRegistry('stations: [\n', 'y.yaml');
    expect(r.ok).to.equal(false);
    expect(r.issues[0]!.code).to.equal('REG_YAML');
  });
});
