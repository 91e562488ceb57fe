import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import {
  checkDigit,
  hasValidCheckDigit,
  iuvOf,
  loadPositionsFile,
  makeNoticeNumber,
  normalizePositions,
  parsePositionsYaml,
  positionsSchema,
} from '../../src/station/index.ts';

const DEFAULT_POSITIONS_FILE = fileURLToPath(new URL('../../scenarios/fixtures/positions.default.yaml', import.meta.url));
import { loadExample } from './helpers.ts';

describe('station: notice numbers and positions file', () => {
  it('computes the mod-93 check digit (docs/primitives.md §18 example) for each aux digit', () => {
    expect(checkDigit('3010000000000012')).to.equal('55');
    expect(makeNoticeNumber({ auxDigit: 3, segregationCode: '01', base: 12 })).to.deep.equal({ ok: true, noticeNumber: '301000000000001255' });
    const aux0 = makeNoticeNumber({ auxDigit: 0, applicationCode: '01', base: 3001 });
    expect(aux0.ok && hasValidCheckDigit(aux0.noticeNumber)).to.equal(true);
    const aux2 = makeNoticeNumber({ auxDigit: 2, base: 4001 });
    expect(aux2.ok && aux2.noticeNumber.length).to.equal(18);
    expect(makeNoticeNumber({ auxDigit: 1, base: 5001 })).to.deep.equal({ ok: true, noticeNumber: '100000000000005001' });
    expect(makeNoticeNumber({ auxDigit: 3, base: 1 }).ok).to.equal(false);
    expect(iuvOf('301000000000001255')).to.equal('01000000000001255');
    expect(aux0.ok && iuvOf(aux0.noticeNumber)).to.have.length(15);
    expect(hasValidCheckDigit('311111111112222222')).to.equal(false);
  });

  it('loads the example file (mono, multi, postal, stamp, metadata, SEND, every state)', () => {
    const c = loadExample();
    expect(c.stations.map((s) => s.idStation)).to.deep.equal(['77777777777_01', '77777777777_02', '99999999999_01']);
    expect(new Set(c.positions.map((p) => p.state))).to.deep.equal(new Set(['payable', 'paid', 'expired', 'cancelled', 'notYetPayable']));
    expect(c.positions.some((p) => p.transfers.length === 5)).to.equal(true);
    expect(c.positions.some((p) => p.send)).to.equal(true);
    expect(c.sendTimeoutMs).to.equal(3000);
  });

  it('reports schema and semantic errors at file:line:col', () => {
    const text = [
      'positions:',
      '  - fiscalCode: "7777"',
      '    noticeNumber: "301000000000100121"',
      '    description: x',
      '    amount: 9',
      '    transfers:',
      '      - { amount: 10, iban: IT1, remittanceInformation: r, category: c, extra: 1 }',
    ].join('\n');
    const r = parsePositionsYaml(text, 'p.yaml');
    expect(r.ok).to.equal(false);
    if (r.ok) return;
    const msgs = r.issues.map((i) => `${i.source}:${i.line}:${i.col} ${i.message}`);
    expect(msgs).to.include('p.yaml:2:17 /positions/0/fiscalCode must match pattern "^[0-9]{11}$"');
    expect(msgs).to.include("p.yaml:7:9 /positions/0/transfers/0 unknown field 'extra'");
  });

  it('checks that amount equals the sum of the transfers, and warns on a wrong check digit', () => {
    const base = { fiscalCode: '77777777777', description: 'x', transfers: [{ amount: '10.00', iban: 'IT1', remittanceInformation: 'r', category: 'c' }] };
    const bad = normalizePositions({ positions: [{ ...base, noticeNumber: '301000000000100121', amount: 9 }] });
    expect(bad.ok).to.equal(false);
    if (!bad.ok) expect(bad.issues[0]!.message).to.match(/amount is 9.00 but the transfers add up to 10.00/);
    const warn = normalizePositions({ positions: [{ ...base, noticeNumber: '311111111112222222' }] });
    expect(warn.ok && warn.warnings[0]!.code).to.equal('POSITIONS_CHECK_DIGIT');
  });

  it('embeds inline: normalizePositions takes a parsed node and a base pointer', () => {
    const r = normalizePositions(
      { positions: [{ fiscalCode: '77777777777', noticeNumber: 'x', description: 'x', transfers: [] }] },
      { base: '/steps/0/positions' },
    );
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.issues[0]!.path.startsWith('/steps/0/positions/positions/0')).to.equal(true);
    expect(positionsSchema.$schema).to.contain('2020-12');
  });

  describe('copyOf: a position written as a copy of another of the same document', () => {
    const source = [
      '  - fiscalCode: "77777777777"',
      '    noticeNumber: "301000000000100121"',
      '    description: TARI 2026',
      '    dueDate: "2026-12-31"',
      '    metadata: { K: v }',
      '    transfers:',
      '      - { amount: 100.00, iban: IT1, remittanceInformation: r, category: c }',
    ];

    it("is the source written out again with the copy's number and fields: the same notice data", () => {
      const copies = parsePositionsYaml(
        [
          'positions:',
          ...source,
          '  - { copyOf: "301000000000100121", noticeNumber: "301000000001100170", usedBy: a-scenario }',
          '  - { copyOf: "301000000000100121", noticeNumber: "301000000001100271", dueDate: "2027-01-31", metadata: { K: w } }',
        ].join('\n'),
        'copies.yaml',
      );
      const written = parsePositionsYaml(
        [
          'positions:',
          ...source,
          ...source.map((l) => l.replace('301000000000100121', '301000000001100170')),
          ...source.map((l) => l.replace('301000000000100121', '301000000001100271').replace('2026-12-31', '2027-01-31').replace('{ K: v }', '{ K: w }')),
        ].join('\n'),
        'written.yaml',
      );
      expect(copies.ok && written.ok).to.equal(true);
      if (!copies.ok || !written.ok) return;
      expect(copies.config.positions).to.deep.equal(written.config.positions);
      expect(copies.config.positions.map((p) => p.iuv)).to.deep.equal(['01000000000100121', '01000000001100170', '01000000001100271']);
    });

    it("names a position of the same document written out in full, else an error at the copy's line", () => {
      const messages = (lines: string[]) => {
        const r = parsePositionsYaml(['positions:', ...source, ...lines].join('\n'), 'p.yaml');
        return r.ok ? [] : r.issues.map((i) => `${i.source}:${i.line}:${i.col} ${i.message}`);
      };
      const msgs = messages([
        '  - { copyOf: "301000000000999917", noticeNumber: "301000000001100170" }',
        '  - { copyOf: "301000000001100170", noticeNumber: "301000000001100271" }',
      ]);
      expect(msgs).to.include(
        'p.yaml:9:15 /positions/1/copyOf names notice 301000000000999917, which is not a position written out in full in this document: copy a position of the same file (not another copy)',
      );
      expect(msgs.some((m) => m.startsWith('p.yaml:10:15 /positions/2/copyOf names notice 301000000001100170'))).to.equal(true);
      // The schema's own message, without the summary of which branch (position or copy) failed.
      expect(messages(['  - { copyOf: "301000000000100121" }'])).to.deep.equal(["p.yaml:9:5 /positions/1 missing required field 'noticeNumber'"]);
    });

    it("the default fixture's copies are their sources but for the notice number and the fields they give", () => {
      const r = loadPositionsFile(DEFAULT_POSITIONS_FILE);
      expect(r.ok).to.equal(true);
      if (!r.ok) return;
      const raw = (parse(readFileSync(DEFAULT_POSITIONS_FILE, 'utf8')) as { positions: Array<Record<string, unknown>> }).positions;
      const byNumber = new Map(r.config.positions.map((p) => [p.noticeNumber, p]));
      const copies = raw.filter((p) => p['copyOf'] !== undefined);
      expect(copies.length).to.be.greaterThan(50);
      for (const c of copies) {
        const { noticeNumber, iuv, ...copy } = byNumber.get(String(c['noticeNumber']))!;
        const { noticeNumber: _n, iuv: _i, ...source } = byNumber.get(String(c['copyOf']))!;
        const own = Object.keys(c).filter((k) => !['copyOf', 'noticeNumber', 'usedBy'].includes(k));
        for (const k of own) {
          delete (source as Record<string, unknown>)[k];
          delete (copy as Record<string, unknown>)[k];
        }
        expect(copy, `${noticeNumber} (${iuv}) copies ${String(c['copyOf'])}`).to.deep.equal(source);
      }
    });
  });
});
