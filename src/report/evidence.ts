/**
 * Evidence files: evidence/<scenario-id>/NN-<operation>-request.<ext> and -response.<ext>, the raw
 * messages of every call in request order (sequence.ts; one record per call: the Nodo's view of
 * its calls to stations). This is what pagoPA asks intermediaries to show for the onboarding test
 * cases. Files are named by what they hold: `.xml` (SOAP), `.json` (SEND and GPD REST bodies),
 * `.html` (an HTML error page a station answered), `.txt` (anything else).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from './model.ts';
import { inCallOrder } from './sequence.ts';

/** The file extension for a message body, from its content (records keep no Content-Type). */
export function evidenceExtension(body: string): 'xml' | 'json' | 'html' | 'txt' {
  const t = body.replace(/^\uFEFF/, '').trimStart();
  if (/^(<!doctype html|<html[\s>])/i.test(t)) return 'html';
  if (t.startsWith('<')) return 'xml';
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      JSON.parse(t);
      return 'json';
    } catch {
      return 'txt';
    }
  }
  return 'txt';
}

export function writeEvidence(run: RunResult, dir: string): number {
  let files = 0;
  for (const c of run.cases) {
    const list = inCallOrder(c.exchanges);
    if (list.length === 0) continue;
    const caseDir = join(dir, c.id);
    mkdirSync(caseDir, { recursive: true });
    list.forEach((e, i) => {
      const nn = String(i + 1).padStart(2, '0');
      const op = e.operation.replace(/[^A-Za-z0-9_-]/g, '_') || 'unknown';
      for (const [side, body] of [
        ['request', e.request],
        ['response', e.response],
      ] as const) {
        if (!body) continue;
        writeFileSync(join(caseDir, `${nn}-${op}-${side}.${evidenceExtension(body)}`), body);
        files++;
      }
    });
  }
  return files;
}
