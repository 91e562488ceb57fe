import { expect } from 'chai';
import { diag } from 'libxml2-wasm';
import { unwrap } from '../../src/soap/envelope.ts';
import { fixture } from '../support/fixtures.ts';

/** The wasm heap is counted in `external`: a leaked 2-3 KB document per message would add ~200 MB here. */
const externalMb = () => process.memoryUsage().external / 1024 / 1024;

describe('xml: memory', function () {
  this.timeout(60_000);
  before(() => diag.configure({ enabled: true, callerStats: false, callerDetail: false }));
  after(() => diag.configure({ enabled: false }));

  it('validating 20k messages (valid, invalid, malformed) disposes every document and does not grow the wasm heap', () => {
    const valid = fixture('paGetPaymentV2', 'response.xml');
    const invalid = fixture('paSendRTV2', 'request-invalid.xml');
    const malformed = valid.replace('</data>', '</dati>');
    for (let i = 0; i < 500; i++) unwrap(i % 2 ? valid : invalid); // let the heap reach its working size
    const before = externalMb();
    let issues = 0;
    for (let i = 0; i < 20_000; i++) {
      const r = unwrap(i % 10 === 0 ? malformed : i % 2 ? valid : invalid);
      issues += r.ok ? r.message.issues.length : r.problem.issues.length;
    }
    const grown = externalMb() - before;
    expect(issues).to.equal(10_000); // 8000 invalid + 2000 malformed, one issue each: the error paths really ran
    const live = (diag.report() as Record<string, { instances: unknown[] }>)['XmlDocument']?.instances ?? [];
    expect(live, 'XmlDocument instances not disposed').to.have.length(0);
    expect(grown, `external memory grew by ${grown.toFixed(1)} MB`).to.be.lessThan(16);
  });
});
