#!/usr/bin/env node
// `npm run build`: compiles src/ to dist/ (tsc -p tsconfig.build.json, .ts imports rewritten to
// .js, declarations for the programmatic API) and copies the files the code reads next to itself
// (the serve demo's YAML, the explorer's CSS, schema.json). dist/.build-stamp, dated when the
// build started, lets bin/station-harness.js use dist/ only while no source is newer.
import { spawnSync } from 'node:child_process';
import { closeSync, cpSync, openSync, rmSync, statSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const started = new Date();

rmSync(dist, { recursive: true, force: true }); // a module deleted from src/ must not linger in dist/
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (r.status !== 0) {
  rmSync(dist, { recursive: true, force: true });
  process.stderr.write('Failed to build dist/: tsc reported the errors above. Fix them (npm run typecheck) and build again.\n');
  process.exit(r.status ?? 1);
}
cpSync(join(root, 'src'), dist, {
  recursive: true,
  filter: (from) => statSync(from).isDirectory() || !/\.(ts|md)$/.test(from),
});
const stamp = join(dist, '.build-stamp');
closeSync(openSync(stamp, 'w'));
utimesSync(stamp, started, started);
