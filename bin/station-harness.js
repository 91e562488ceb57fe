#!/usr/bin/env node
// The CLI runs the TypeScript sources through tsx (a runtime dependency): no build step.
import { register } from 'tsx/esm/api';

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

register();
await import('../src/cli/main.ts');
