/**
 * report.html as a person sees it (issue 13.2), in headless Chromium (Debian's, through
 * playwright-core; the test fails when it is missing — .ci/run installs it): failures first,
 * grouped by cause; the root cause at the top of the page without scrolling; a failed case that
 * opens on its root cause with the knock-on checks folded; the sequence in causal order; filters
 * and search; and the default suite's report under 3 MB, still one offline file.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect } from 'chai';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../src/paths.ts';
import { createRecorder, type RunResult } from '../../src/report/index.ts';
import { reportHtml } from '../../src/report/html.ts';
import { RunEmitter } from '../../src/scenario/events.ts';
import { formatLoadIssue, loadScenarios } from '../../src/scenario/load.ts';
import { runScenarios } from '../../src/scenario/run.ts';
import { CHROMIUM_FLAGS } from '../support/chromium.ts';
import { defaultSuiteRun } from '../support/defaultSuite.ts';

const CHROMIUM = '/usr/bin/chromium';
const VIEWPORT = { width: 1280, height: 800 };
const XSD_TEXT = "The value '100' is not accepted by the pattern";

/** Every id="..." of the page and of its lazy (compressed) part. */
function allIds(html: string): string[] {
  const blob = /<script type="application\/octet-stream" id="lazy">([^<]*)<\/script>/.exec(html)![1]!;
  const lazy = Object.values(JSON.parse(gunzipSync(Buffer.from(blob, 'base64')).toString('utf8')) as Record<string, string>).join('');
  return [...(html.replace(blob, '') + lazy).matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);
}

describe('report.html (issue 13.2)', function () {
  this.timeout(180_000);
  let tmp: string;
  let failing: RunResult;
  let failingFile: string;
  let failingHtml: string;
  let defaultHtml: string;
  let defaultFile: string;

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'html-'));
    const loaded = await loadScenarios([join(PROJECT_ROOT, 'test', 'report', 'suites')]);
    expect(loaded.issues.map(formatLoadIssue)).to.deep.equal([]);
    const emitter = new RunEmitter();
    const recorder = createRecorder(emitter);
    await runScenarios(
      loaded.files.flatMap((f) => f.scenarios),
      emitter,
      { jobs: 2 },
    );
    failing = recorder.result();
    failingHtml = reportHtml(failing);
    failingFile = join(tmp, 'failing.html');
    writeFileSync(failingFile, failingHtml);
    defaultHtml = reportHtml((await defaultSuiteRun()).result);
    defaultFile = join(tmp, 'default.html');
    writeFileSync(defaultFile, defaultHtml);
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('is one offline file: no external script, style, image, font or fetch', () => {
    for (const html of [failingHtml, defaultHtml]) {
      expect(html).to.not.match(/<(script|link|img|iframe)[^>]+(src|href)=["']?(https?:)?\/\//i);
      expect(html).to.not.match(/@import|url\(\s*['"]?(https?:)?\/\//i);
      expect(html).to.not.match(/fetch\(|XMLHttpRequest/);
    }
  });

  it('the default suite report is under 3 MB (it was 13.2 MB: messages now load on demand from compressed JSON)', () => {
    const size = Buffer.byteLength(defaultHtml);
    process.stdout.write(`      report.html of the default suite: ${(size / 1e6).toFixed(2)} MB\n`);
    expect(size).to.be.below(3_000_000);
  });

  it('every id in the page is unique, SVG and lazily inserted parts included', () => {
    for (const html of [failingHtml, defaultHtml]) {
      const ids = allIds(html);
      expect(ids.length).to.be.greaterThan(10);
      expect(ids.filter((id, i) => ids.indexOf(id) !== i)).to.deep.equal([]);
    }
  });

  describe('in headless Chromium', () => {
    let browser: BrowserContext;
    let profile: string;
    let page: Page;
    const errors: string[] = [];

    before(async () => {
      expect(existsSync(CHROMIUM), `${CHROMIUM} is required (apt-get install -y chromium; .ci/run installs it)`).to.equal(true);
      profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
      browser = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        viewport: VIEWPORT,
        args: [...CHROMIUM_FLAGS],
        offline: true,
      });
    });
    after(async () => {
      await browser?.close();
      if (profile) rmSync(profile, { recursive: true, force: true });
    });
    beforeEach(async () => {
      page = await browser.newPage();
      page.on('pageerror', (e) => errors.push(e.message));
    });
    afterEach(async () => {
      await page.close();
      expect(errors.splice(0)).to.deep.equal([]);
    });

    it('failures come first, grouped under their cause: the broken amount is one cause of three scenarios, listed before any pass', async () => {
      await page.goto(`file://${failingFile}`);
      const order = await page.$$eval('#list > .cause, #list details.case', (els) =>
        els.map((e) => (e.matches('.cause') ? `cause ${(e as HTMLElement).dataset['cause']}` : `${(e as HTMLElement).dataset['state']} ${e.id}`)),
      );
      const states = order.map((o) => o.split(' ')[0]);
      expect(states.slice(0, states.lastIndexOf('failed') + 1)).to.not.include('passed');
      expect(states.lastIndexOf('errored')).to.be.below(states.indexOf('passed'));
      const ids = await page.$$eval('details.case', (els) => els.map((e) => e.querySelector('summary > .cid')!.textContent));
      expect(ids.slice(0, 3).sort()).to.deep.equal(['rep-amount-again', 'rep-amount-third', 'rep-broken-amount']);
      expect(order[0]).to.equal('cause 1');
      expect(await page.textContent('#cause-1 .ch')).to.equal('Cause 1 · 3 scenarios');
    });

    it("shows the root cause at the top of the page, without scrolling: the failed expectation and the station's schema error", async () => {
      await page.goto(`file://${failingFile}`);
      expect(await page.evaluate(() => window.scrollY)).to.equal(0);
      for (const text of ['paGetPaymentV2Response (nodo → station:77777777777_01) is schema-valid', XSD_TEXT]) {
        const box = await page.locator('#cause-1').getByText(text).first().boundingBox();
        expect(box, text).to.not.equal(null);
        expect(box!.y + box!.height, `${text} is inside the first viewport`).to.be.at.most(VIEWPORT.height + 1);
        expect(box!.y).to.be.at.least(0);
      }
      // The schema error's text is printed once on the page (the cause card); scenarios refer to it.
      const printed = await page.evaluate((t) => document.body.innerText.split(t).length - 1, XSD_TEXT);
      expect(printed).to.equal(1);
    });

    it('a failed case opens on its root cause; the knock-on checks are folded under it, closed', async () => {
      await page.goto(`file://${failingFile}`);
      const kase = page.locator('details.case', { has: page.locator('summary > .cid', { hasText: /^rep-broken-amount$/ }) });
      await kase.locator('> summary').click();
      const first = kase.locator('.body > :first-child');
      expect(await first.getAttribute('data-root')).to.equal('1');
      expect(await first.locator('.cname').innerText()).to.contain('✗ paGetPaymentV2Response (nodo → station:77777777777_01) is schema-valid');
      const box = await first.boundingBox();
      expect(box!.y + box!.height, 'root cause brought into view once the case is opened').to.be.at.most(VIEWPORT.height + 1);
      expect(box!.y).to.be.at.least(0);
      const knock = first.locator('details.knock');
      expect(await knock.locator('summary').innerText()).to.equal('↳ 5 more checks failed only because of this');
      expect(await knock.evaluate((d) => (d as HTMLDetailsElement).open)).to.equal(false);
      expect(await knock.locator('li').first().isVisible()).to.equal(false);
      await knock.locator('summary').click();
      expect(await knock.locator('li').allInnerTexts()).to.deep.include('${act.paymentToken} has a value: expected a captured value, got (absent)');
      expect(
        await kase.locator('.root, ol.steps').evaluateAll(
          (els, t) =>
            els
              .map((e) => (e as HTMLElement).innerText)
              .join('\n')
              .includes(t),
          XSD_TEXT,
        ),
      ).to.equal(false);
    });

    it('the sequence nests the station call inside the PSP call it serves: request, inner call, inner reply, reply', async () => {
      await page.goto(`file://${failingFile}`);
      const kase = page.locator('details.case', { has: page.locator('summary > .cid', { hasText: /^rep-amount-third$/ }) });
      await kase.locator('> summary').click();
      await kase.locator('.lazy[data-state="done"]').waitFor();
      const arrows = await kase.locator('g.arrow').evaluateAll((gs) =>
        gs.map((g) => ({
          what: `${(g as SVGGElement).dataset['kind']} ${(g as SVGGElement).dataset['op']}`,
          y: g.getBoundingClientRect().y,
          x: g.querySelector('line')!.getBoundingClientRect(),
        })),
      );
      const byY = [...arrows].sort((a, b) => a.y - b.y).map((a) => a.what);
      expect(byY).to.deep.equal(['request activatePaymentNoticeV2', 'request paGetPaymentV2', 'reply paGetPaymentV2', 'reply activatePaymentNoticeV2']);
      // The inner call is drawn between the Nodo and the station, right of the PSP's call.
      expect(arrows[1]!.x.left).to.be.greaterThan(arrows[0]!.x.left);
      // An arrow is a link to its message: the station's answer opens with its schema issue marked.
      await kase.locator('g.arrow[data-kind="reply"][data-op="paGetPaymentV2"]').click();
      const msg = kase.locator('details.msg[id$="-02"]');
      expect(await msg.evaluate((d) => (d as HTMLDetailsElement).open)).to.equal(true);
      expect(await msg.locator('.im').first().innerText()).to.contain(XSD_TEXT);
      expect(await msg.locator('.im').first().isVisible()).to.equal(true);
    });

    it('filters and search: errored shows only the errored scenario; a search finds a passed scenario inside its closed file group', async () => {
      await page.goto(`file://${failingFile}`);
      await page.click('[data-st="errored"]');
      expect(await page.locator('details.case:visible > summary > .cid').allInnerTexts()).to.deep.equal(['rep-errored']);
      expect(await page.locator('#list .cause:visible .ch').allTextContents()).to.deep.equal(['Cause 3 · 1 scenario']);
      await page.click('[data-st="all"]');
      await page.fill('#q', 'rep-passes');
      expect(await page.locator('details.case:visible > summary > .cid').allInnerTexts()).to.deep.equal(['rep-passes']);
      expect(await page.locator('#list .cause:visible').count()).to.equal(0);
      await page.fill('#q', 'paymentamount');
      expect((await page.locator('details.case:visible > summary > .cid').allInnerTexts()).sort()).to.deep.equal([
        'rep-amount-again',
        'rep-amount-third',
        'rep-broken-amount',
      ]);
      await page.fill('#q', '');
      expect(await page.locator('details.case').count()).to.equal(failing.cases.length);
      expect(await page.textContent('#shown')).to.equal(`${failing.cases.length} shown`);
    });

    it('the default suite: a short page of closed file groups; a passed case shows its sequence and messages when opened', async () => {
      await page.goto(`file://${defaultFile}`);
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      process.stdout.write(`      default suite report: page height ${height} px (closed), ${await page.locator('details.file').count()} file groups\n`);
      expect(height).to.be.below(8000);
      const group = page.locator('details.file').first();
      await group.locator('> summary').click();
      const kase = group.locator('details.case').first();
      await kase.locator('> summary').click();
      await kase.locator('.lazy[data-state="done"]').waitFor();
      expect(await kase.locator('.seq svg').count()).to.equal(1);
      expect(await kase.locator('details.msg').count()).to.be.greaterThan(0);
      await kase.locator('details.msg > summary').first().click();
      expect(await kase.locator('pre.xml').first().innerText()).to.contain('soapenv:Envelope');
    });
  });
});
