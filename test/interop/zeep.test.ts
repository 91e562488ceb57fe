/**
 * Interop with an independent client: Python zeep in strict mode (Debian python3-zeep, run with
 * /usr/bin/python3) loads the served ?wsdl of the mock Nodo and of a reference station (with the
 * XSDs they import), pays a demo notice end to end through the serve composition and calls a
 * station directly. Without python3-zeep this test FAILS (CI installs it: .ci/run); it never skips.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/paths.ts';
import { startServe, type Served } from '../../src/serve/index.ts';

const PYTHON = '/usr/bin/python3';
const SCRIPT = join(PROJECT_ROOT, 'test', 'interop', 'zeep_pay.py');

function run(base: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(PYTHON, [SCRIPT, base], { timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

describe('interop: Python zeep (strict) against serve', function () {
  this.timeout(90_000);
  let s: Served;

  before(async () => {
    if (!existsSync(PYTHON))
      throw new Error(`Failed to run the zeep interop test: ${PYTHON} is missing. Install Debian's python3 and python3-zeep (.ci/run does it).`);
    const started = await startServe({ port: 0 });
    if (!started.ok) throw new Error(started.message);
    s = started.served;
  });
  after(() => s?.stop());

  it('loads both ?wsdl, pays a notice end to end (verify, activateV2, outcomeV2) and calls a station directly', async () => {
    const r = await run(s.urls.base);
    expect(r.code, `zeep failed (is python3-zeep installed for ${PYTHON}?):\n${r.stderr}`).to.equal(0);
    const out = JSON.parse(r.stdout) as Record<string, Record<string, unknown>>;
    expect(out['verify']!['outcome']).to.equal('OK');
    expect(out['activate']!['outcome']).to.equal('OK');
    expect(out['activate']!['paymentToken']).to.match(/^[0-9a-f]{32}$/);
    expect(out['outcome']!['outcome']).to.equal('OK');
    expect(out['direct']!['outcome']).to.equal('OK');
    const option = (out['direct']!['paymentList'] as { paymentOptionDescription: { amount: string } | Array<{ amount: string }> }).paymentOptionDescription;
    expect([option].flat()[0]!.amount).to.equal('50.00');
    // zeep's requests were valid against the XSD on the way in, and the payment produced its receipts.
    const inbound = s.journal.list({ party: 'nodo', direction: 'inbound' });
    expect(inbound.map((e) => e.operation)).to.deep.equal(['verifyPaymentNotice', 'activatePaymentNoticeV2', 'sendPaymentOutcomeV2']);
    expect(inbound.flatMap((e) => e.requestIssues)).to.deep.equal([]);
    const direct = s.journal.list({ party: 'station:77777777777_02', direction: 'inbound' });
    expect(direct.map((e) => `${e.operation} ${e.outcome} ${e.requestIssues.length}`)).to.deep.equal(['paVerifyPaymentNotice OK 0']);
    await s.world.idle();
    const token = String(out['activate']!['paymentToken']);
    expect(s.world.nodo.receipts.receiptsOf(token).map((d) => `${d.idStation} ${d.state}`)).to.have.members([
      '77777777777_01 NOTIFIED',
      '99999999999_01 NOTIFIED',
    ]);
  });
});
