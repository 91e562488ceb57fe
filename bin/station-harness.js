#!/usr/bin/env node
// The CLI runs from the compiled build (dist/, `npm run build`) when it was built from the sources
// as they are now; otherwise (or with HARNESS_FROM_SOURCES=1) from the TypeScript sources through
// tsx (a runtime dependency), which compiles them at every start.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The parent of process `pid` (Linux /proc, else `ps`), or undefined when it cannot be known. */
function parentOf(pid) {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) || undefined;
  } catch {
    try {
      return Number(execFileSync('ps', ['-o', 'ppid=', '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()) || undefined;
    } catch {
      return undefined;
    }
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

// Under `npx` (npm exec), npm starts us through `sh -c`: npm -> sh -> us. A SIGTERM sent to npm's
// pid reaches the shell, which dies without passing it on; a SIGKILL or SIGHUP kills npm alone and
// leaves the shell waiting on us. Either way a server would be left running with nobody to stop it.
// So when npx launched us, losing our parent or npm means the same as SIGTERM: stop cleanly.
// (A SIGINT sent to npm's pid alone is passed to the shell, which keeps it while it waits on us: it
// cannot reach us. Ctrl-C in a terminal signals the whole process group, us included.)
if (process.env.npm_command === 'exec') {
  const parent = process.ppid;
  const launcher = parentOf(parent);
  const watch = setInterval(() => {
    if (process.ppid === parent && (launcher === undefined || launcher <= 1 || alive(launcher))) return;
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
