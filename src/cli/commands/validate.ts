/** `station-harness validate <file...|->`: XSD-validate SOAP envelopes or bare pagoPA messages. */
import { fileReadMessage } from '../../fileText.ts';
import { readFileSync } from 'node:fs';
import { HarnessError, ERR, EXIT } from '../../errors.ts';
import { unwrap } from '../../soap/index.ts';
import type { Issue } from '../../xml/index.ts';
import { defineCommand } from '../command.ts';

interface FileResult {
  file: string;
  element?: string;
  valid: boolean;
  issues: Issue[];
}

function readInput(file: string): Buffer {
  try {
    return file === '-' ? readFileSync(0) : readFileSync(file);
  } catch (e) {
    throw new HarnessError(ERR.IO, fileReadMessage('the message', file, e, 'Pass XML files or - for standard input.'));
  }
}

export function validateInput(file: string, data: Buffer): FileResult {
  const r = unwrap(data, { allowBare: true, read: false });
  if (!r.ok) return { file, valid: false, issues: r.problem.issues };
  const m = r.message;
  const element = `{${m.bodyChild.ns}}${m.bodyChild.local}`;
  if (m.fault) return { file, element, valid: true, issues: [] };
  return { file, element, valid: m.issues.length === 0, issues: m.issues };
}

const command = defineCommand({
  command: 'validate',
  describe: 'Validate SOAP envelopes or bare pagoPA messages against the official XSDs',
  usage: '<file...|-> [--json]',
  options: { json: { type: 'boolean' } },
  help: `
Each input may be a whole SOAP 1.1 envelope (the Body child is validated) or a bare
message such as <pafn:paGetPaymentV2Response>. Use - to read standard input.

Output: one line per issue, "file:line:col path message"; with --json an array of
{file, element, valid, issues[]} on stdout.

Exit codes: 0 all valid, 1 any invalid, 2 usage or I/O error.

Examples:
  station-harness validate response.xml
  cat envelope.xml | station-harness validate - --json`,
  async handler({ values, positionals }) {
    if (positionals.length === 0) throw new HarnessError(ERR.USAGE, 'Failed to validate: no input given. Pass one or more XML files, or - for standard input.');
    const results = positionals.map((f) => validateInput(f, readInput(f)));
    if (values['json']) {
      process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    } else {
      for (const r of results) {
        if (r.valid) process.stdout.write(`${r.file}: valid (${r.element})\n`);
        for (const i of r.issues) process.stdout.write(`${r.file}:${i.line}:${i.col} ${i.path || '/'} ${i.message}\n`);
      }
    }
    return results.every((r) => r.valid) ? EXIT.OK : EXIT.FAILED;
  },
});

export default command;
