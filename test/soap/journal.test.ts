import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Journal, type NewExchange } from '../../src/soap/exchange.ts';

const ex = (request: string, extra: Partial<NewExchange> = {}): NewExchange => ({
  at: '2026-01-01T00:00:00Z',
  party: 'nodo',
  direction: 'inbound',
  from: 'psp',
  to: 'nodo',
  operation: 'verifyPaymentNotice',
  request,
  response: '<ok/>',
  durationMs: 1,
  ...extra,
});

describe('Journal: ring buffer with a byte budget', () => {
  it('keeps the newest records at its record cap, in order, and finds `since` among them', () => {
    const j = new Journal({ records: 5 });
    for (let i = 1; i <= 12; i++) j.record(ex(`r${i}`));
    expect(j.list().map((e) => e.request)).to.deep.equal(['r8', 'r9', 'r10', 'r11', 'r12']);
    expect(j.list({ since: 9 }).map((e) => e.seq)).to.deep.equal([10, 11, 12]);
    expect(j.list({ since: 2 }).map((e) => e.seq)).to.deep.equal([8, 9, 10, 11, 12]);
    expect(j.list({ since: 12 })).to.deep.equal([]);
    expect(j.lastSeq).to.equal(12);
  });

  it('drops the oldest records when the bodies kept exceed its byte budget', () => {
    const j = new Journal({ records: 100, bytes: 1000, bodyCap: 10_000 });
    for (let i = 0; i < 10; i++) j.record(ex('x'.repeat(295))); // 300 characters with the response
    expect(j.kept.records).to.equal(3);
    expect(j.kept.bodyChars).to.be.at.most(1000);
    expect(j.list().map((e) => e.seq)).to.deep.equal([8, 9, 10]);
  });

  it('keeps a body over its cap as head and tail with its size and SHA-256, and says so in a note', () => {
    const j = new Journal({ bodyCap: 1000, keptHeadTail: 100 });
    const big = `<a>${'y'.repeat(5000)}</a>`;
    const e = j.record(ex(big));
    const sha = createHash('sha256').update(big).digest('hex');
    expect(e.request.length).to.be.below(500);
    expect(e.request.startsWith(big.slice(0, 100))).to.equal(true);
    expect(e.request.endsWith(big.slice(-100))).to.equal(true);
    expect(e.request).to.include(`request body cut, ${big.length} bytes`).and.include(sha);
    expect(e.notes.join(' ')).to.include('request body of 5007 bytes cut in the journal').and.include(sha);
    expect(e.response).to.equal('<ok/>');
    expect(j.record(ex('<small/>')).request).to.equal('<small/>');
  });

  it('holds only what it keeps of a cut body: the big body it came from can be collected', () => {
    // V8 keeps a slice as a view of its parent string: a head + tail taken with slice() held
    // the whole body alive (100 requests of 4.9 MB: +470 MB of heap for 1.6 MB counted).
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const j = new Journal({ bodyCap: 64 * 1024, keptHeadTail: 1024 });
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 40; i++) j.record(ex(`<a>${' '.repeat(2_000_000)}${i}</a>`));
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    expect(j.kept.records).to.equal(40);
    // 40 x ~2 KB kept; with the bodies held it grows by 80 MB.
    expect(grown, `heap grew by ${Math.round(grown / 1e6)} MB`).to.be.below(20e6);
  });

  it('filters by party, operation, direction and meta across the ring seam', () => {
    const j = new Journal({ records: 4 });
    for (let i = 1; i <= 6; i++) j.record(ex(`r${i}`, { party: i % 2 ? 'nodo' : 'station:X', meta: { n: String(i) } }));
    expect(j.list({ party: 'nodo' }).map((e) => e.request)).to.deep.equal(['r3', 'r5']);
    expect(j.list({ meta: { n: '6' } }).map((e) => e.seq)).to.deep.equal([6]);
    j.clear();
    expect(j.list()).to.deep.equal([]);
    expect(j.record(ex('again')).seq).to.equal(7);
  });
});
