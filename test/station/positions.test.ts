import { expect } from 'chai';
import { checkDigit, hasValidCheckDigit, iuvOf, makeNoticeNumber, normalizePositions, parsePositionsYaml, positionsSchema } from '../../src/station/index.ts';
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
    const text = ['positions:', '  - fiscalCode: "7777"', '    noticeNumber: "301000000000100121"', '    description: x', '    amount: 9', '    transfers:', '      - { amount: 10, iban: IT1, remittanceInformation: r, category: c, extra: 1 }'].join('\n');
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
    const r = normalizePositions({ positions: [{ fiscalCode: '77777777777', noticeNumber: 'x', description: 'x', transfers: [] }] }, { base: '/steps/0/positions' });
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.issues[0]!.path.startsWith('/steps/0/positions/positions/0')).to.equal(true);
    expect(positionsSchema.$schema).to.contain('2020-12');
  });
});
