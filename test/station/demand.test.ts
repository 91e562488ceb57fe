/**
 * The reference station's paDemandPaymentNotice (issue 14, spontaneous payments): the service
 * data is validated against the service's own XSD (declared with the service in the positions
 * file, relative to it) → PAA_SINTASSI_XSD with path and line:col; values the position needs that
 * are missing or wrong → PAA_SEMANTICA; a valid request creates a payable position from the data.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCENARIOS_DIR } from '../../src/paths.ts';
import { loadPositionsFile, parsePositionsYaml } from '../../src/station/index.ts';
import { bodyOf, EC, header, qr, ST1, startStations, type Harness } from './helpers.ts';

const NS = 'http://servizi.example.it/diritti-segreteria/1.0';
const data = (inner: string) => Buffer.from(`<richiestaDiritti xmlns="${NS}">${inner}</richiestaDiritti>`).toString('base64');
const person = '<richiedente><codiceFiscale>RSSMRA80A01H501U</codiceFiscale><nominativo>Mario Rossi</nominativo></richiedente>';
const valid = (importo = '16.00') => data(`${person}<tipoAtto>CERTIFICATO</tipoAtto><causale>Certificato di residenza</causale><importo>${importo}</importo>`);
const demand = (h: Harness, b64: string) =>
  h.call(ST1, 'paDemandPaymentNotice', { ...header(), idServizio: '00001', idSoggettoServizio: '00001', datiSpecificiServizioRequest: b64 });

describe('station: paDemandPaymentNotice validates the service data against the service XSD', () => {
  let h: Harness;
  before(async () => {
    const r = loadPositionsFile(join(SCENARIOS_DIR, 'fixtures', 'positions.default.yaml'));
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    h = await startStations({ config: r.config, stations: [{ idStation: ST1, idBrokerPA: '77777777777', ecs: [EC] }] });
  });
  after(() => h.close());

  it('valid data creates a payable position with the amount, debtor and description of the data', async () => {
    const b = bodyOf(await demand(h, valid('23.40')));
    expect(b.outcome).to.equal('OK');
    const nn = b.qrCode.noticeNumber as string;
    expect(nn).to.match(/^3019\d{14}$/);
    expect(b.paymentList.paymentOptionDescription[0].amount).to.equal('23.40');
    const p = h.stations.position(EC, nn)!;
    expect(p.debtor).to.deep.include({ type: 'F', id: 'RSSMRA80A01H501U', fullName: 'Mario Rossi' });
    expect(p.description).to.equal('Certificato di residenza');
    expect(p.transfers.map((t) => t.amountCents)).to.deep.equal([2340]);
    expect(bodyOf(await h.call(ST1, 'paVerifyPaymentNotice', { ...header(), ...qr(nn) })).outcome).to.equal('OK');
  });

  it('data invalid against the XSD → PAA_SINTASSI_XSD naming the element, line and col; no position', async () => {
    const before = h.stations.positions(EC).length;
    const b = bodyOf(await demand(h, data(`${person}<tipoAtto>ALTRO</tipoAtto><causale>x</causale><importo>16.00</importo>`)));
    expect(b.fault.faultCode).to.equal('PAA_SINTASSI_XSD');
    expect(b.fault.faultString).to.equal('Errore di sintassi XSD.');
    expect(b.fault.description).to.match(/\/richiestaDiritti\/tipoAtto \(line 1:\d+\): .*enumeration/);
    expect(b.fault.description).to.contain('diritti-segreteria-1.0.xsd');
    expect(h.stations.positions(EC).length).to.equal(before);
  });

  it('not XML, or another root element, → PAA_SINTASSI_XSD', async () => {
    expect(bodyOf(await demand(h, Buffer.from('importo=16').toString('base64'))).fault.faultCode).to.equal('PAA_SINTASSI_XSD');
    const other = bodyOf(await demand(h, Buffer.from(`<richiesta xmlns="${NS}"/>`).toString('base64')));
    expect(other.fault.faultCode).to.equal('PAA_SINTASSI_XSD');
    expect(other.fault.description).to.contain('root element');
  });

  it('a value the position needs that is wrong → PAA_SEMANTICA (amount 0.00, over the service maximum)', async () => {
    const zero = bodyOf(await demand(h, valid('0.00')));
    expect([zero.fault.faultCode, zero.fault.description]).to.satisfy(([c, d]: string[]) => c === 'PAA_SEMANTICA' && d.includes('not payable'));
    const over = bodyOf(await demand(h, valid('500.01')));
    expect(over.fault.faultCode).to.equal('PAA_SEMANTICA');
    expect(over.fault.description).to.contain('exceeds the 500.00');
  });

  it('a service the station does not offer → PAA_SEMANTICA naming the ones it knows; no position', async () => {
    const before = h.stations.positions(EC).length;
    const other = bodyOf(
      await h.call(ST1, 'paDemandPaymentNotice', { ...header(), idServizio: '00009', idSoggettoServizio: '00001', datiSpecificiServizioRequest: valid() }),
    );
    expect(other.fault.faultCode).to.equal('PAA_SEMANTICA');
    expect(other.fault.description).to.contain('service 00009/00001 is not in the catalogue of EC 77777777777 (known: 00001/00001');
    expect(h.stations.positions(EC).length).to.equal(before);
  });

  it('the positions file refuses a service whose XSD is missing or broken, or that has no amount at all', () => {
    const dir = mkdtempSync(join(tmpdir(), 'svc-'));
    writeFileSync(join(dir, 'broken.xsd'), '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="a" type="nope"/></xs:schema>');
    const base = 'services:\n  - { idServizio: "00001", idSoggettoServizio: "00001", description: D, iban: IT60X0542811101000000123456, category: C';
    const file = join(dir, 'p.yaml');
    const missing = parsePositionsYaml(`${base}, amount: 1.00, xsd: none.xsd }\n`, file);
    expect(missing.ok ? [] : missing.issues.map((i) => `${i.line} ${i.message}`)).to.satisfy(
      (m: string[]) => m.length === 1 && m[0]!.startsWith('2 ') && m[0]!.includes('none.xsd, which cannot be read'),
    );
    const broken = parsePositionsYaml(`${base}, amount: 1.00, xsd: broken.xsd }\n`, file);
    expect(broken.ok ? '' : broken.issues[0]!.message).to.contain('not a usable XSD');
    const noAmount = parsePositionsYaml(`${base} }\n`, file);
    expect(noAmount.ok ? '' : noAmount.issues[0]!.message).to.contain('needs amount');
  });

  it("the positions file refuses a service's example the service would refuse, at its line; a good one is kept", () => {
    const dir = mkdtempSync(join(tmpdir(), 'svc-'));
    writeFileSync(join(dir, 'd.xsd'), readFileSync(join(SCENARIOS_DIR, 'fixtures', 'services', 'diritti-segreteria-1.0.xsd')));
    const file = join(dir, 'p.yaml');
    const yaml = (example: string) =>
      `services:\n  - idServizio: "00001"\n    idSoggettoServizio: "00001"\n    description: D\n    iban: IT60X0542811101000000123456\n    category: C\n    xsd: d.xsd\n    from: { amount: importo }\n    example: '${example}'\n`;
    const doc = (importo: string) =>
      `<richiestaDiritti xmlns="${NS}">${person}<tipoAtto>CERTIFICATO</tipoAtto><causale>C</causale><importo>${importo}</importo></richiestaDiritti>`;
    const invalid = parsePositionsYaml(yaml(doc('16')), file);
    expect(invalid.ok ? [] : invalid.issues.map((i) => `${i.line} ${i.message}`)).to.satisfy(
      (m: string[]) => m.length === 1 && m[0]!.startsWith('9 ') && m[0]!.includes('example is not data this service accepts (PAA_SINTASSI_XSD'),
    );
    const zero = parsePositionsYaml(yaml(doc('0.00')), file);
    expect(zero.ok ? '' : zero.issues[0]!.message).to.contain('(PAA_SEMANTICA');
    const good = parsePositionsYaml(yaml(doc('16.00')), file);
    expect(good.ok && good.config.services[0]!.example).to.equal(doc('16.00'));
  });
});
