/** Locations of the XML fixtures and of the shared pagoPA samples (outside the repository). */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/paths.ts';

export const XML_FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'xml');

/** `../shared/pagopa-api/samples/...` relative to the project root, or undefined when absent. */
export const SHARED_SAMPLES = join(PROJECT_ROOT, '..', 'shared', 'pagopa-api', 'samples', 'api-definitions', 'openapi', 'examples');
export const sharedSamplesPresent = (): boolean => existsSync(SHARED_SAMPLES);

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
    .map((op) => ({ ...(JSON.parse(readFileSync(join(XML_FIXTURES, op, 'expected.json'), 'utf8')) as Omit<OperationFixture, 'dir'>), dir: join(XML_FIXTURES, op) }));
}

export const fixture = (op: string, file: string): string => readFileSync(join(XML_FIXTURES, op, file), 'utf8');
