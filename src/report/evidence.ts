/**
 * Evidence files: evidence/<scenario-id>/NN-<primitive>-request.xml|response.xml, the raw
 * exchanges in order (one record per hop: the Nodo's view of its calls to stations).
 * This is what pagoPA asks intermediaries to show for the onboarding test cases.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalExchanges } from '../scenario/run.ts';
import type { RunResult } from './model.ts';

export function writeEvidence(run: RunResult, dir: string): number {
  let files = 0;
  for (const c of run.cases) {
    const list = canonicalExchanges(c.exchanges);
    if (list.length === 0) continue;
    const caseDir = join(dir, c.id);
    mkdirSync(caseDir, { recursive: true });
    list.forEach((e, i) => {
      const nn = String(i + 1).padStart(2, '0');
      const op = e.operation.replace(/[^A-Za-z0-9_-]/g, '_') || 'unknown';
      if (e.request) {
        writeFileSync(join(caseDir, `${nn}-${op}-request.xml`), e.request);
        files++;
      }
      if (e.response) {
        writeFileSync(join(caseDir, `${nn}-${op}-response.xml`), e.response);
        files++;
      }
    });
  }
  return files;
}
