import { expect } from 'chai';
import { unwrap, wrap } from '../../src/soap/envelope.ts';
import { NS } from '../../src/xml/schemas.ts';

/** A verifyPaymentNoticeReq envelope with `inner` as the qrCode content and an optional Header. */
const verify = (qrCode: string, header = '') => `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="${NS.soap11}" xmlns:nfp="${NS.nodeForPsp}">
  <soapenv:Header>${header}</soapenv:Header>
  <soapenv:Body>
    <nfp:verifyPaymentNoticeReq>
      <idPSP>88888888888</idPSP><idBrokerPSP>88888888888</idBrokerPSP><idChannel>88888888888_01</idChannel><password>PLACEHOLDER</password>
      <qrCode>${qrCode}</qrCode>
    </nfp:verifyPaymentNoticeReq>
  </soapenv:Body>
</soapenv:Envelope>`;

function read(text: string) {
  const r = unwrap(text);
  if (!r.ok) throw new Error(r.problem.message);
  return r.message;
}

describe('xml: handlers read the document libxml2 validated (issue 18 item 3)', () => {
  it('character references and predefined entities are decoded as libxml2 decoded them for the XSD', () => {
    const m = read(verify('<fiscalCode>7777777777&#55;</fiscalCode><noticeNumber>&#51;01000000000100121</noticeNumber>'));
    expect(m.issues).to.deep.equal([]);
    expect(m.bodyChild.value['qrCode']).to.deep.equal({ fiscalCode: '77777777777', noticeNumber: '301000000000100121' });
  });

  it('a value over several lines built into an envelope reads back unchanged (wrap never re-indents it)', () => {
    const description = 'riga 1\nriga 2\n  riga 3';
    const m = read(wrap({ 'pafn:paVerifyPaymentNoticeRes': { '@_xmlns:pafn': NS.paForNode, outcome: 'OK', paymentDescription: description } }));
    expect(m.bodyChild.value['paymentDescription']).to.equal(description);
  });

  it('values are never trimmed: what the XSD accepted is what the handler gets', () => {
    const m = read(
      verify('<fiscalCode>77777777777</fiscalCode><noticeNumber>301000000000100121</noticeNumber>').replace(
        '<password>PLACEHOLDER</password>',
        '<password> PLACEHOLDER </password>',
      ),
    );
    expect(m.issues).to.deep.equal([]);
    expect(m.bodyChild.value['password']).to.equal(' PLACEHOLDER ');
  });

  it('a processing instruction or a comment inside a value is ignored, the text around it kept', () => {
    const m = read(verify('<fiscalCode>777777<?pi x?>77777</fiscalCode><noticeNumber>30100000<!-- c -->0000100121</noticeNumber>'));
    expect(m.issues).to.deep.equal([]);
    expect(m.bodyChild.value['qrCode']).to.deep.equal({ fiscalCode: '77777777777', noticeNumber: '301000000000100121' });
  });

  it('a processing instruction between elements hides none of the elements after it (Body child included)', () => {
    const text = verify('<?pi a?><fiscalCode>77777777777</fiscalCode><?pi b?><noticeNumber>301000000000100121</noticeNumber>').replace(
      '<soapenv:Body>',
      '<soapenv:Body><?pi c?>',
    );
    const m = read(text);
    expect(m.issues).to.deep.equal([]);
    expect(m.bodyChild.value['qrCode']).to.deep.equal({ fiscalCode: '77777777777', noticeNumber: '301000000000100121' });
  });

  it('CDATA is kept as text', () => {
    const m = read(verify('<fiscalCode><![CDATA[77777777777]]></fiscalCode><noticeNumber>3010000000<![CDATA[00100121]]></noticeNumber>'));
    expect(m.issues).to.deep.equal([]);
    expect(m.bodyChild.value['qrCode']).to.deep.equal({ fiscalCode: '77777777777', noticeNumber: '301000000000100121' });
  });

  it('objects have no prototype: elements named constructor, __proto__ or toString are plain keys', () => {
    const m = read(
      verify(
        '<fiscalCode>77777777777</fiscalCode><noticeNumber>301000000000100121</noticeNumber>',
        '<constructor>c</constructor><__proto__><toString>t</toString></__proto__><hasOwnProperty/>',
      ),
    );
    expect(m.issues).to.deep.equal([]);
    expect(Object.getPrototypeOf(m.bodyChild.value)).to.equal(null);
    expect(Object.getPrototypeOf(m.header)).to.equal(null);
    expect(m.header!['constructor']).to.equal('c');
    expect(Object.keys(m.header!)).to.deep.equal(['constructor', '__proto__', 'hasOwnProperty']);
    // biome-ignore lint/suspicious/noProto: an element named __proto__ must be a plain key
    expect((m.header!['__proto__'] as Record<string, unknown>)['toString']).to.equal('t');
    expect(m.bodyChild.value['constructor']).to.equal(undefined);
  });

  it('an element with children where text was expected converts to its text content, never throws', () => {
    const m = read(verify('<fiscalCode>77777777777</fiscalCode><noticeNumber><toString>1</toString>2<x>3</x></noticeNumber>'));
    const nn = (m.bodyChild.value['qrCode'] as Record<string, unknown>)['noticeNumber'];
    expect(String(nn)).to.equal('132');
    expect(`${nn as string}`).to.equal('132');
    expect([nn, 'a'].join(',')).to.equal('132,a');
    expect(JSON.stringify(nn)).to.equal('{"toString":"1","x":"3","#text":"2"}');
  });

  it('a Header nested 200 deep is read (libxml2 refuses only past its own depth limit, as a Client fault)', () => {
    const deep = `${'<h>'.repeat(200)}x${'</h>'.repeat(200)}`;
    const m = read(verify('<fiscalCode>77777777777</fiscalCode><noticeNumber>301000000000100121</noticeNumber>', deep));
    expect(m.issues).to.deep.equal([]);
    let v: unknown = m.header;
    for (let i = 0; i < 200; i++) v = (v as Record<string, unknown>)['h'];
    expect(v).to.equal('x');
    const tooDeep = unwrap(verify('', `${'<h>'.repeat(400)}${'</h>'.repeat(400)}`));
    expect(tooDeep.ok).to.equal(false);
    if (!tooDeep.ok) expect(tooDeep.problem.message).to.match(/^Malformed XML: Excessive depth/);
  });

  it('repeated elements: the listed ones are always arrays, others become arrays from the second one', () => {
    const m = read(
      `<soapenv:Envelope xmlns:soapenv="${NS.soap11}"><soapenv:Body><x:a xmlns:x="urn:x"><transfer><n>1</n></transfer><b>1</b><b>2</b><b>3</b><c/><paymentTokens><paymentToken>t</paymentToken></paymentTokens></x:a></soapenv:Body></soapenv:Envelope>`,
    );
    expect(m.bodyChild.value).to.deep.equal({ transfer: [{ n: '1' }], b: ['1', '2', '3'], c: '', paymentTokens: { paymentToken: ['t'] } });
  });

  it('read: false gives the issues without building the object, and reading it then is a loud bug', () => {
    const r = unwrap(verify('<fiscalCode>77777777777</fiscalCode><noticeNumber>301000000000100121</noticeNumber>'), { read: false });
    if (!r.ok) throw new Error(r.problem.message);
    expect(r.message.issues).to.deep.equal([]);
    expect(() => r.message.bodyChild.value).to.throw(/BUG/);
  });
});
