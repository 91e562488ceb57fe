import { expect } from 'chai';
import { charsetOf, decodeXml } from '../../src/xml/decode.ts';
import { unwrap } from '../../src/soap/envelope.ts';
import { NS } from '../../src/xml/schemas.ts';

const doc = (decl: string) => `${decl}<a>Città di Esempio — €</a>`;
const text = (r: ReturnType<typeof decodeXml>) => {
  if (!r.ok) throw new Error(r.issues[0]!.message);
  return r.text;
};

describe('xml: decoding a message in the encoding it declares (issue 18 item 8; RFC 7303 §3.2)', () => {
  it('UTF-8 by default, with or without its BOM', () => {
    expect(text(decodeXml(Buffer.from(doc(''), 'utf8')))).to.equal(doc(''));
    expect(text(decodeXml(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(doc(''), 'utf8')])))).to.equal(doc(''));
  });

  it('UTF-16 with a BOM (LE and BE), and without one when "<" shows the byte order', () => {
    const s = doc('<?xml version="1.0" encoding="UTF-16"?>');
    const le = Buffer.from(s, 'utf16le');
    const be = Buffer.from(le).swap16();
    expect(text(decodeXml(Buffer.concat([Buffer.from([0xff, 0xfe]), le])))).to.equal(s);
    expect(text(decodeXml(Buffer.concat([Buffer.from([0xfe, 0xff]), be])))).to.equal(s);
    expect(text(decodeXml(le))).to.equal(s);
    expect(text(decodeXml(be))).to.equal(s);
  });

  it('ISO-8859-1 from the XML declaration, or from the Content-Type charset that wins over it', () => {
    const latin = (s: string) => Buffer.from(s, 'latin1');
    expect(text(decodeXml(latin('<?xml version="1.0" encoding="ISO-8859-1"?><a>Città</a>')))).to.equal(
      '<?xml version="1.0" encoding="ISO-8859-1"?><a>Città</a>',
    );
    expect(text(decodeXml(latin('<a>Città</a>'), 'text/xml; charset=iso-8859-1'))).to.equal('<a>Città</a>');
    // The charset wins over the declaration; a BOM wins over both.
    expect(text(decodeXml(Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a>Città</a>', 'utf8'), 'text/xml; charset="UTF-8"'))).to.contain('Città');
    expect(text(decodeXml(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<a>Città</a>', 'utf8')]), 'text/xml; charset=iso-8859-1'))).to.equal(
      '<a>Città</a>',
    );
    expect(charsetOf('text/xml; Charset = "UTF-16" ; x=y')).to.equal('utf-16');
  });

  it('bytes invalid in the encoding are an issue at their line and column, never U+FFFD', () => {
    const r = decodeXml(Buffer.from('<a>\n<b>Citt\xe0</b></a>', 'latin1'));
    expect(r.ok).to.equal(false);
    if (r.ok) return;
    expect(r.issues[0]).to.include({ code: 'XML_ENCODING_INVALID', line: 2, col: 8 });
    expect(r.issues[0]!.message).to.match(/^Failed to decode the message as UTF-8 .*byte 11 \(0xe0\) is not valid UTF-8/);
  });

  it('an encoding nobody supports is refused by name', () => {
    const r = decodeXml(Buffer.from('<?xml version="1.0" encoding="x-klingon"?><a/>'));
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.issues[0]!.message).to.contain("encoding 'x-klingon' (XML declaration) is not supported");
  });

  it('a whole ISO-8859-1 envelope reads "Città" in the object the handlers get', () => {
    const env = `<?xml version="1.0" encoding="ISO-8859-1"?><soapenv:Envelope xmlns:soapenv="${NS.soap11}"><soapenv:Body><x:a xmlns:x="urn:x"><city>Città</city></x:a></soapenv:Body></soapenv:Envelope>`;
    const r = unwrap(Buffer.from(env, 'latin1'), { skipValidation: true });
    if (!r.ok) throw new Error(r.problem.message);
    expect(r.message.bodyChild.value['city']).to.equal('Città');
  });
});
