#!/usr/bin/env node
// The CLI runs from the compiled build (dist/, `npm run build`) when it was built from the sources
// as they are now; otherwise (or with HARNESS_FROM_SOURCES=1) from the TypeScript sources through
// tsx (a runtime dependency), which compiles them at every start.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Under `npx` (npm exec), npm starts us through `sh -c`: a SIGTERM sent to npm's pid reaches the
// shell, which dies without passing it on, and a server would be left running with no parent.
// So when npx launched us, losing our parent means the same as SIGTERM: stop cleanly.
if (process.env.npm_command === 'exec') {
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    process.kill(process.pid, 'SIGTERM');
  }, 250);
  watch.unref();
}

/** Whether dist/ exists and no file of src/ changed after the build started (an edited source wins). */
function builtFromCurrentSources() {
  if (process.env.HARNESS_FROM_SOURCES === '1') return false;
  const root = fileURLToPath(new URL('..', import.meta.url));
  let built;
  try {
    built = statSync(join(root, 'dist', '.build-stamp')).mtimeMs;
  } catch {
    return false;
  }
  for (const e of readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true })) {
    if (e.isFile() && statSync(join(e.parentPath, e.name)).mtimeMs > built) return false;
  }
  return true;
}

if (builtFromCurrentSources()) {
  await import('../dist/cli/main.js');
} else {
  // libxml2-wasm is loaded by Node itself, before tsx is registered: its 1 MB module (the wasm
  // inlined) then stays out of tsx's transform and source maps, which cost every process about
  // 150 MB of RSS and 0.3 s of CPU. Node's module map keeps this instance: the sources' own
  // `import ... from 'libxml2-wasm'` get it, untransformed.
  await import('libxml2-wasm');
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
