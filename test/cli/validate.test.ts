import { join } from 'node:path';
import { expect } from 'chai';
import { cli } from '../support/cli.ts';
import { XML_FIXTURES } from '../support/fixtures.ts';

const f = (op: string, file: string) => join(XML_FIXTURES, op, file);

describe('cli: station-harness validate', function () {
  this.timeout(30_000);

  it('exit 0 and one "valid" line per file when every message is valid (envelopes and bare messages)', async () => {
    const r = await cli(['validate', f('paGetPaymentV2', 'response.xml'), f('activatePaymentNoticeV2', 'request.xml')]);
    expect(r.code).to.equal(0);
    expect(r.stdout.trim().split('\n')).to.deep.equal([
      `${f('paGetPaymentV2', 'response.xml')}: valid ({http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd}paGetPaymentV2Response)`,
      `${f('activatePaymentNoticeV2', 'request.xml')}: valid ({http://pagopa-api.pagopa.gov.it/node/nodeForPsp.xsd}activatePaymentNoticeV2Request)`,
    ]);
  });

  it('exit 1 and "file:line:col path message" for an invalid message', async () => {
    const file = f('paSendRTV2', 'request-invalid.xml');
    const r = await cli(['validate', f('paSendRT', 'response.xml'), file]);
    expect(r.code).to.equal(1);
    expect(r.stdout.trim().split('\n')[1]).to.equal(
      `${file}:56:9 /soapenv:Envelope/soapenv:Body/pafn:paSendRTV2Request/receipt/standin Element 'standin': This element is not expected. Expected is one of ( metadata, standIn ).`,
    );
  });

  it('--json prints {file, element, valid, issues[]} per input', async () => {
    const file = f('paGetPayment', 'request-invalid.xml');
    const r = await cli(['validate', '--json', file]);
    expect(r.code).to.equal(1);
    const [out] = JSON.parse(r.stdout) as {
      file: string;
      element: string;
      valid: boolean;
      issues: { line: number; col: number; path: string; code: string }[];
    }[];
    expect(out!.file).to.equal(file);
    expect(out!.element).to.equal('{http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd}paGetPaymentReq');
    expect(out!.valid).to.equal(false);
    expect(out!.issues.map((i) => ({ line: i.line, col: i.col, path: i.path, code: i.code }))).to.deep.equal([
      { line: 13, col: 7, path: '/soapenv:Envelope/soapenv:Body/pafn:paGetPaymentReq/amount', code: 'XSD_INVALID' },
    ]);
  });

  it('reads standard input with -', async () => {
    const ok = await cli(['validate', '-'], '<p:paSendRTRes xmlns:p="http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd"><outcome>OK</outcome></p:paSendRTRes>');
    expect(ok.code).to.equal(0);
    expect(ok.stdout).to.equal('-: valid ({http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd}paSendRTRes)\n');
    const bad = await cli(['validate', '-'], '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>');
    expect(bad.code).to.equal(1);
    expect(bad.stdout).to.equal(
      '-:1:1 / DOCTYPE declarations are not allowed (no DTD, no entities: XXE and entity-expansion protection). Remove the <!DOCTYPE ...> declaration.\n',
    );
  });

  it('exit 2 with a "Failed to" message for a missing file or no input, and no stack trace', async () => {
    const missing = await cli(['validate', 'no/such/file.xml']);
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.equal("Failed to read the message 'no/such/file.xml': no such file. Pass XML files or - for standard input.\n");
    const none = await cli(['validate']);
    expect(none.code).to.equal(2);
    expect(none.stderr).to.equal('Failed to validate: no input given. Pass one or more XML files, or - for standard input.\n');
    const flag = await cli(['validate', '--nope', 'x.xml']);
    expect(flag.code).to.equal(2);
    expect(flag.stderr).to.match(/^Failed to parse the options of 'validate': .*--nope.*\. See station-harness validate --help\.\n$/);
  });
});
