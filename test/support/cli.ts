/** Test support: run the CLI in process (for errors raised before anything listens), capturing stderr. */
import { main } from '../../src/cli/main.ts';

export async function runInProcess(args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const orig = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += chunk.toString();
    return true;
  }) as typeof process.stderr.write;
  try {
    return { code: await main(args), stderr };
  } finally {
    process.stderr.write = orig;
  }
}
