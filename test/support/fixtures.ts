/** Locations of the XML fixtures and of the historical pagoPA samples. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/paths.ts';

export const XML_FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'xml');

/** pagopa-api's historical sample messages, copied as data (provenance and licence in its SOURCE.md). */
export const PAGOPA_SAMPLES = join(PROJECT_ROOT, 'test', 'fixtures', 'pagopa-samples');

export interface ExpectedIssue {
  line: number;
  col: number;
  /** A fragment of the issue message. */
  message: string;
  path?: string;
  why: string;
}

export interface OperationFixture {
  operation: string;
  request: string;
  response: string;
  invalid: { request: ExpectedIssue; response: ExpectedIssue };
  dir: string;
}

export function operationFixtures(): OperationFixture[] {
  return readdirSync(XML_FIXTURES)
    .sort()
    .map((op) => ({
      ...(JSON.parse(readFileSync(join(XML_FIXTURES, op, 'expected.json'), 'utf8')) as Omit<OperationFixture, 'dir'>),
      dir: join(XML_FIXTURES, op),
    }));
}

export const fixture = (op: string, file: string): string => readFileSync(join(XML_FIXTURES, op, file), 'utf8');
