/**
 * The explorer's browser script: client/main.ts and its imports bundled by esbuild (the
 * compiler tsx already brings) into one IIFE, in memory, the first time the page asks for it.
 * No CDN and no build step of its own: what is served is src/explorer/client (or its compiled
 * copy in dist/ when the CLI runs from `npm run build`).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODULE_EXT } from '../paths.ts';

const ENTRY = join(fileURLToPath(new URL('.', import.meta.url)), 'client', `main${MODULE_EXT}`);

let cached: Promise<{ ok: true; code: string } | { ok: false; message: string }> | undefined;

export function bundleClient(): Promise<{ ok: true; code: string } | { ok: false; message: string }> {
  cached ??= (async () => {
    try {
      const { build } = await import('esbuild');
      const out = await build({
        entryPoints: [ENTRY],
        bundle: true,
        write: false,
        format: 'iife',
        platform: 'browser',
        target: 'es2020',
        sourcemap: 'inline',
        logLevel: 'silent',
      });
      return { ok: true as const, code: out.outputFiles[0]!.text };
    } catch (e) {
      cached = undefined;
      return { ok: false as const, message: `Failed to bundle the explorer script: ${(e as Error).message}. Reinstall the dependencies (npm ci) and restart.` };
    }
  })();
  return cached;
}
