const BARE = /^[A-Za-z_][\w.-]*$/;
const QUOTED = /^"([A-Za-z_][\w.-]*)"$/;

/** SOAPAction: read from the header (quoted or not, URI-prefixed or bare) or `?soapAction=`. */
export function readSoapAction(headerValue: string | string[] | undefined, query: Record<string, unknown> | undefined): string | undefined {
  const q = query?.['soapAction'] ?? query?.['SOAPAction'] ?? query?.['soapaction'];
  let raw = typeof q === 'string' && q ? q : Array.isArray(headerValue) ? headerValue[0] : headerValue;
  if (raw === undefined) return undefined;
  // The usual cases, an operation name bare or in double quotes, need none of the clean-up below.
  if (BARE.test(raw)) return raw;
  const quoted = QUOTED.exec(raw);
  if (quoted) return quoted[1];
  raw = raw
    .trim()
    .replace(/^"(.*)"$/, '$1')
    .replace(/^'(.*)'$/, '$1')
    .trim();
  if (raw === '') return undefined;
  // Tolerate URI-style actions such as "http://.../paForNode/paGetPayment" or "urn:paGetPayment".
  const tail = raw.split(/[/#:]/).filter(Boolean).pop();
  return tail ?? raw;
}

/** The SOAPAction from a SOAP 1.2 Content-Type (`application/soap+xml; action="x"`), if any. */
export function actionFromContentType(contentType: string | undefined): string | undefined {
  const m = /action\s*=\s*"?([^";]+)"?/i.exec(contentType ?? '');
  return m?.[1];
}
