import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { unwrap } from '../../src/soap/envelope.ts';
import { NS } from '../../src/xml/schemas.ts';
import type { Issue } from '../../src/xml/issue.ts';
import { PAGOPA_SAMPLES } from '../support/fixtures.ts';

/** Issues of a message (bare or enveloped); a message that cannot be unwrapped fails the test. */
function issuesOf(xml: string): Issue[] {
  const r = unwrap(xml, { allowBare: true });
  if (!r.ok) throw new Error(`unexpected problem: ${r.problem.message}`);
  return r.message.issues;
}

const where = (i: Issue) => ({ path: i.path, line: i.line, col: i.col });

describe('xml: validation issues (path, line, col, message)', () => {
  it('places an error on an element alone on its line at its start tag, relative to the whole envelope', () => {
    const xml = [
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:pafn="http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd">',
      '  <soapenv:Body>',
      '    <pafn:paSendRTRes>',
      '        <outcome>MAYBE</outcome>',
      '    </pafn:paSendRTRes>',
      '  </soapenv:Body>',
      '</soapenv:Envelope>',
    ].join('\n');
    const [i, ...rest] = issuesOf(xml);
    expect(rest).to.deep.equal([]);
    expect(where(i!)).to.deep.equal({ path: '/soapenv:Envelope/soapenv:Body/pafn:paSendRTRes/outcome', line: 4, col: 9 });
    expect(i!.message).to.equal("Element 'outcome': [facet 'enumeration'] The value 'MAYBE' is not an element of the set {'OK', 'KO'}.");
  });

  it('places errors on the right one of several elements on one line (same name, then different names)', () => {
    const sameName = `<pafn:paSendRTRes xmlns:pafn="${NS.paForNode}"><outcome>OK</outcome><outcome>KO</outcome></pafn:paSendRTRes>`;
    const [twice] = issuesOf(sameName);
    expect(where(twice!)).to.deep.equal({ path: '/pafn:paSendRTRes/outcome[2]', line: 1, col: sameName.indexOf('<outcome>KO') + 1 });

    const qr = `<pafn:paVerifyPaymentNoticeReq xmlns:pafn="${NS.paForNode}"><idPA>77777777777</idPA><idBrokerPA>77777777777</idBrokerPA><idStation>77777777777_01</idStation><qrCode><fiscalCode>77777777777</fiscalCode><noticeNumber>1</noticeNumber></qrCode></pafn:paVerifyPaymentNoticeReq>`;
    const [bad] = issuesOf(qr);
    expect(where(bad!)).to.deep.equal({ path: '/pafn:paVerifyPaymentNoticeReq/qrCode/noticeNumber', line: 1, col: qr.indexOf('<noticeNumber>') + 1 });
  });

  it('finds the element even when an earlier sibling of the same name sits on another line', () => {
    const xml = `<pafn:paGetPaymentReq xmlns:pafn="${NS.paForNode}">\n<idPA>77777777777</idPA><idBrokerPA>77777777777</idBrokerPA><idStation>x</idStation><qrCode><fiscalCode>77777777777</fiscalCode><noticeNumber>301000000000001255</noticeNumber></qrCode>\n  <!-- a comment with <amount> inside --><amount>1</amount></pafn:paGetPaymentReq>`;
    const [i] = issuesOf(xml);
    expect(where(i!)).to.deep.equal({ path: '/pafn:paGetPaymentReq/amount', line: 3, col: xml.split('\n')[2]!.indexOf('<amount>1') + 1 });
  });

  it('unqualified-children rule: a default xmlns on the wrapper makes the message invalid, and says why', () => {
    const xml = `<paSendRTRes xmlns="${NS.paForNode}">\n  <outcome>OK</outcome>\n</paSendRTRes>`;
    const [i, ...rest] = issuesOf(xml);
    expect(rest).to.deep.equal([]);
    expect(where(i!)).to.deep.equal({ path: '/paSendRTRes/outcome', line: 2, col: 3 });
    expect(i!.message).to.include(`Element '{${NS.paForNode}}outcome': This element is not expected. Expected is ( outcome ).`);
    expect(i!.message).to.include('The children of a pagoPA message are unqualified (no namespace)');
    // The same message with a prefixed wrapper is valid.
    expect(issuesOf(`<p:paSendRTRes xmlns:p="${NS.paForNode}">\n  <outcome>OK</outcome>\n</p:paSendRTRes>`)).to.deep.equal([]);
  });

  it('an unknown element is an issue naming it, with "expected one of" near misses', () => {
    const [typo] = issuesOf(
      `<soapenv:Envelope xmlns:soapenv="${NS.soap11}"><soapenv:Body>\n  <p:paGetPaymentV2Res xmlns:p="${NS.paForNode}"/>\n</soapenv:Body></soapenv:Envelope>`,
    );
    expect(typo!.code).to.equal('XSD_UNKNOWN_ELEMENT');
    expect(where(typo!)).to.deep.equal({ path: '/soapenv:Envelope/soapenv:Body/p:paGetPaymentV2Res', line: 2, col: 3 });
    expect(typo!.message).to.match(/^Unknown element \{http:\/\/pagopa-api\.pagopa\.gov\.it\/pa\/paForNode\.xsd\}paGetPaymentV2Res; expected one of /);
    expect(typo!.message).to.include(`{${NS.paForNode}}paGetPaymentV2Response`);

    const [wrongNs] = issuesOf(`<n:paSendRTReq xmlns:n="${NS.nodeForPsp}"/>`);
    expect(wrongNs!.message).to.equal(`Unknown element {${NS.nodeForPsp}}paSendRTReq; expected one of {${NS.paForNode}}paSendRTReq`);

    const [nothing] = issuesOf('<hello/>');
    expect(nothing!.message).to.equal('Unknown element {}hello; no pagoPA schema declares it');
  });
});

describe('xml: the historical pagoPA samples (test/fixtures/pagopa-samples)', () => {
  const INVALID: Record<string, string> = {
    '200PaGetPayment.xml': "Element 'transfer': Missing child element(s). Expected is ( transferCategory ).",
    'ReqPaSendRT.xml': "Element 'transfer': Missing child element(s). Expected is ( transferCategory ).",
    'ReqPaVerifyPayment.xml': `Unknown element {${NS.nodeForPsp}}paVerifyPaymentNoticeReq; expected one of {${NS.paForNode}}paVerifyPaymentNoticeReq`,
  };
  it('are the files SOURCE.md lists, byte for byte', () => {
    const listed = [...readFileSync(join(PAGOPA_SAMPLES, 'SOURCE.md'), 'utf8').matchAll(/^([0-9a-f]{64}) {2}(\S+\.xml)$/gm)].map(
      (m) => [m[2]!, m[1]!] as const,
    );
    expect(listed).to.have.length(14);
    expect(
      readdirSync(PAGOPA_SAMPLES)
        .filter((f) => f.endsWith('.xml'))
        .sort(),
    ).to.deep.equal(listed.map(([f]) => f).sort());
    const wrong = listed.filter(
      ([f, sum]) =>
        createHash('sha256')
          .update(readFileSync(join(PAGOPA_SAMPLES, f)))
          .digest('hex') !== sum,
    );
    expect(wrong.map(([f]) => f)).to.deep.equal([]);
  });

  it('accepts the 11 samples SOURCE.md lists as valid', () => {
    const valid = readdirSync(PAGOPA_SAMPLES).filter((f) => f.endsWith('.xml') && !(f in INVALID));
    expect(valid).to.have.length(11);
    const found = valid.map((f) => ({ f, issues: issuesOf(readFileSync(join(PAGOPA_SAMPLES, f), 'utf8')) })).filter((r) => r.issues.length);
    expect(found).to.deep.equal([]);
  });

  for (const [file, message] of Object.entries(INVALID)) {
    it(`rejects ${file}, naming the element`, () => {
      const issues = issuesOf(readFileSync(join(PAGOPA_SAMPLES, file), 'utf8'));
      expect(issues.length).to.be.greaterThan(0);
      expect(issues[0]!.message).to.include(message);
    });
  }
});
