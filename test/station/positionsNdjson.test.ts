import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPositionsFile, parsePositionsYaml } from '../../src/station/index.ts';
import { EC, header, loadExample, ST1, startStations } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'ndjson-'));
const write = (name: string, lines: unknown[]) => {
  const file = join(dir, name);
  writeFileSync(file, `${lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')}\n`);
  return file;
};
const position = (nn: string, extra: Record<string, unknown> = {}) => ({
  fiscalCode: EC,
  noticeNumber: nn,
  description: `Notice ${nn}`,
  transfers: [{ amount: '12.50', iban: 'IT60X0542811101000000123456', remittanceInformation: 'Tari', category: '0101101IM' }],
  ...extra,
});

describe('station: positions from NDJSON, packed (issue 19)', () => {
  it('loads file-level fields and positions line by line; the station answers from them as from YAML', async () => {
    const file = write('ok.ndjson', [
      { stations: [{ idStation: ST1, idBrokerPA: EC, ecs: [EC] }] },
      position('301000000000001255'),
      '',
      position('301000000000002257', { state: 'paid' }),
    ]);
    const r = loadPositionsFile(file);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.config.stations.map((s) => s.idStation)).to.deep.equal([ST1]);
    expect(r.config.packed!.size).to.equal(2);
    const h = await startStations({ config: r.config });
    try {
      const ok = await h.call(ST1, 'paVerifyPaymentNotice', { ...header(), qrCode: { fiscalCode: EC, noticeNumber: '301000000000001255' } });
      if (!ok.ok) throw new Error(ok.message);
      expect(ok.message.bodyChild.value['outcome']).to.equal('OK');
      expect(JSON.stringify(ok.message.bodyChild.value)).to.include('12.50');
      const paid = await h.call(ST1, 'paVerifyPaymentNotice', { ...header(), qrCode: { fiscalCode: EC, noticeNumber: '301000000000002257' } });
      if (!paid.ok) throw new Error(paid.message);
      expect(JSON.stringify(paid.message.bodyChild.value)).to.include('PAA_PAGAMENTO_DUPLICATO');
      // The same position read from YAML is the same position (fields left out stay absent).
      const y = parsePositionsYaml(`positions:\n  - ${JSON.stringify(position('301000000000001255'))}\n`);
      if (!y.ok) throw new Error(JSON.stringify(y.issues));
      expect(h.stations.position(EC, '301000000000001255')).to.deep.equal(JSON.parse(JSON.stringify(y.config.positions[0])));
      expect(h.stations.positions()).to.have.length(2);
    } finally {
      await h.close();
    }
  });

  it('reports each bad line at file:line:col: not JSON, a schema error, a duplicate, a wrong amount', () => {
    const file = write('bad.ndjson', [
      position('301000000000001255'),
      '{"fiscalCode": "77777777777", oops}',
      { ...position('301000000000002257'), description: undefined },
      position('301000000000001255'),
      position('301000000000003259', { amount: '99.00' }),
    ]);
    const r = loadPositionsFile(file);
    expect(r.ok).to.equal(false);
    if (r.ok) return;
    const lines = r.issues.map((i) => `${i.source}:${i.line}:${i.col} ${i.message}`);
    expect(lines[0]).to.match(/bad\.ndjson:2:\d+ not a JSON object/);
    expect(lines[0]).to.not.match(/:2:1 /);
    expect(lines[1]).to.match(/bad\.ndjson:3:1 .*missing required field 'description'/);
    expect(lines[2]).to.match(/bad\.ndjson:4:1 \/noticeNumber duplicates notice 301000000000001255/);
    expect(lines[3]).to.match(/bad\.ndjson:5:1 \/amount is 99\.00 but the transfers add up to 12\.50/);
    expect(lines).to.have.length(4);
  });

  it('a missing file is an IO issue that names the formats', () => {
    const r = loadPositionsFile(join(dir, 'nope.ndjson'));
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.issues[0]!.message).to.match(/Failed to read the positions file '.*': no such file\. Pass an existing YAML or NDJSON file/);
  });

  it('reset goes back to the packed baseline; loading without replace adds to it, with replace swaps it', async () => {
    const h = await startStations();
    try {
      const [first] = loadExample().positions;
      h.stations.setPositionState(first!.fiscalCode, first!.noticeNumber, 'paid');
      expect(h.stations.position(first!.fiscalCode, first!.noticeNumber)!.state).to.equal('paid');
      h.stations.reset();
      expect(h.stations.position(first!.fiscalCode, first!.noticeNumber)!.state).to.equal(first!.state);
      const before = h.stations.positions().length;
      const extra = { ...first!, noticeNumber: '301000000000009263', iuv: '01000000000009263' };
      h.stations.loadPositions([extra, { ...first!, description: 'changed' }]);
      expect(h.stations.positions()).to.have.length(before + 1);
      expect(h.stations.position(first!.fiscalCode, first!.noticeNumber)!.description).to.equal('changed');
      h.stations.reset();
      expect(h.stations.position(EC, '301000000000009263')).to.not.equal(undefined);
      h.stations.loadPositions([extra], { replace: true });
      expect(h.stations.positions().map((p) => p.noticeNumber)).to.deep.equal(['301000000000009263']);
      h.stations.reset();
      expect(h.stations.positions()).to.have.length(1);
    } finally {
      await h.close();
    }
  });
});
