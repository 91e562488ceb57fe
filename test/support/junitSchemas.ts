/** The JUnit schemas CI tools validate against (copies in test/fixtures/junit-schemas/), compiled once. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XmlDocument, XmlValidateError, XsdValidator } from 'libxml2-wasm';
import { PROJECT_ROOT } from '../../src/paths.ts';

export const JUNIT_SCHEMAS = join(PROJECT_ROOT, 'test', 'fixtures', 'junit-schemas');
export type JunitSchema = 'jenkins-xunit-junit-10.xsd' | 'ant-JUnit.xsd';

const validators = new Map<string, XsdValidator>();
function validator(file: JunitSchema): XsdValidator {
  let v = validators.get(file);
  if (!v) {
    const doc = XmlDocument.fromBuffer(readFileSync(join(JUNIT_SCHEMAS, file)));
    v = XsdValidator.fromDoc(doc);
    doc.dispose();
    validators.set(file, v);
  }
  return v;
}

/** The schema errors of `xml` against one of the two schemas, as `line: message` (first 10). */
export function junitSchemaErrors(xml: string, file: JunitSchema): string[] {
  const doc = XmlDocument.fromString(xml);
  try {
    validator(file).validate(doc);
    return [];
  } catch (e) {
    if (!(e instanceof XmlValidateError)) throw e;
    return e.details.slice(0, 10).map((d) => `${d.line}: ${d.message.trim()}`);
  } finally {
    doc.dispose();
  }
}

/** Errors against both schemas, each prefixed with the schema (empty when valid for both). */
export function junitErrorsBoth(xml: string): string[] {
  return (['jenkins-xunit-junit-10.xsd', 'ant-JUnit.xsd'] as const).flatMap((f) => junitSchemaErrors(xml, f).map((e) => `${f} ${e}`));
}
