import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { createRecorder, writeReports } from '../../src/report/index.ts';
import { RunEmitter } from '../../src/scenario/events.ts';
import { loadScenarios } from '../../src/scenario/load.ts';
import { runScenarios } from '../../src/scenario/run.ts';
import { SCENARIOS_DIR } from '../../src/paths.ts';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

describe('report.html (issue 7)', function () {
  this.timeout(90_000);
  let out: string;
  let html: string;
  let dir: string;
  before(async () => {
    out = mkdtempSync(join(tmpdir(), 'html-'));
    const loaded = await loadScenarios([join(SCENARIOS_DIR, 'payment'), join(SCENARIOS_DIR, 'negative')]);
    const emitter = new RunEmitter();
    const recorder = createRecorder(emitter);
    const scenarios = loaded.files.flatMap((f) => f.scenarios);
    // One scenario made to fail on purpose, so the failure rendering is on the page too.
    const broken = structuredClone(scenarios.find((s) => s.id === 'station-schema-invalid-getpayment')!);
    broken.id = 'deliberately-failing';
    broken.steps[1]!.expect = { outcome: 'OK' };
    await runScenarios([broken, ...scenarios], emitter, { jobs: 2 });
    dir = writeReports(recorder.result(), { outDir: out }).latest;
    html = readFileSync(join(dir, 'report.html'), 'utf8');
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  it('is one self-contained file: no external script, style, image or font', () => {
    expect(html).to.not.match(/<(script|link|img)[^>]+(src|href)=["']?https?:/i);
    expect(html).to.not.match(/@import|url\(\s*['"]?https?:/i);
    expect(html).to.contain('<svg');
    expect(html).to.contain('data-state="failed"');
    expect(html).to.contain('▲ /soapenv:Envelope/soapenv:Body/pafn:paGetPaymentV2Response/data/officeName');
  });

  it('renders in headless Chromium (screenshot)', function () {
    if (!CHROMIUM) this.skip(); // chromium is not installed: apt-get install -y chromium (the CI script does it)
    const shot = join(out, 'report.png');
    const r = spawnSync(CHROMIUM!, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--hide-scrollbars', '--window-size=1280,2000', `--screenshot=${shot}`, `file://${join(dir, 'report.html')}`], { timeout: 60_000 });
    expect(r.status, String(r.stderr)).to.equal(0);
    expect(statSync(shot).size).to.be.greaterThan(20_000);
    if (process.env['KEEP_SCREENSHOT']) spawnSync('cp', [shot, process.env['KEEP_SCREENSHOT']]);
  });
});
