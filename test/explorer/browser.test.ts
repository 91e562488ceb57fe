/**
 * The explorer in a real browser (Debian chromium driven by playwright-core), against the serve
 * composition: send a verify, an activate and an outcome from the page, see the answers, the
 * receipt to each recipient in the live log and in the sequence view, use the control buttons
 * (reset, fault injection, primitiveVersion, clock), mark a pasted message's
 * schema issue at its line, confer a station's positions to ACA and put it in stand-in, and save a screenshot (reports/explorer/explorer.png, git-ignored).
 * Without chromium this test FAILS (CI installs it: .ci/run); it never skips.
 */
import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_FLAGS } from '../support/chromium.ts';
import { PROJECT_ROOT } from '../../src/paths.ts';
import { startServe, type Served } from '../../src/serve/index.ts';

const CHROMIUM = '/usr/bin/chromium';
const RECIPIENTS = ['77777777777_01', '22222222222_01', '99999999999_01'];
const SCREENSHOT = join(PROJECT_ROOT, 'reports', 'explorer', 'explorer.png');

describe('explorer in a browser (chromium)', function () {
  this.timeout(120_000);
  let s: Served;
  let browser: BrowserContext | undefined;
  let page: Page;
  let profile = '';
  const consoleErrors: string[] = [];

  before(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`Failed to start the browser test: ${CHROMIUM} is missing. Install Debian's chromium (apt-get install -y chromium; .ci/run does it).`);
    const started = await startServe({ port: 0 });
    if (!started.ok) throw new Error(started.message);
    s = started.served;
    profile = mkdtempSync(join(tmpdir(), 'explorer-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', ...CHROMIUM_FLAGS],
      viewport: { width: 1600, height: 1000 },
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('pageerror', (e) => {
      throw e;
    });
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    await page.goto(s.urls.explorer);
    await page.waitForSelector('body[data-ready="true"]');
  });
  after(async () => {
    await browser?.close();
    await s?.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  async function send(op: string): Promise<string> {
    await page.click(`#op-${op}`);
    await page.waitForFunction((name) => document.getElementById('op-title')?.textContent === name, op);
    await page.click('#send');
    await page.waitForFunction(() => /HTTP \d+/.test(document.getElementById('answer-status')?.textContent ?? ''));
    return page.inputValue('#answer');
  }

  it('sends a verify, an activate and an outcome from the page and shows the answers', async () => {
    const verify = await send('verifyPaymentNotice');
    expect(verify).to.match(/verifyPaymentNoticeRes[\s\S]*<outcome>OK<\/outcome>/);
    expect(await page.textContent('#answer-status')).to.match(/HTTP 200 .*outcome OK, exchange #\d+/);
    expect(await page.textContent('#answer-issues')).to.contain('answer: valid');
    const activate = await send('activatePaymentNoticeV2');
    const token = /<paymentToken>(\w{32})<\/paymentToken>/.exec(activate)?.[1];
    expect(token, activate).to.be.a('string');
    await page.click('#op-sendPaymentOutcomeV2');
    expect(await page.inputValue('#request')).to.contain(`<paymentToken>${token}</paymentToken>`);
    const outcome = await send('sendPaymentOutcomeV2');
    expect(outcome).to.match(/sendPaymentOutcomeV2Response[\s\S]*<outcome>OK<\/outcome>/);
    expect(consoleErrors, 'the browser console stays clean (no missing resource, no script error)').to.deep.equal([]);
  });

  it('shows the receipt to each recipient under the outcome in the live log', async () => {
    await page.click('#tab-log');
    for (const id of RECIPIENTS) await page.waitForSelector(`#log li.rec.receipt[data-to="station:${id}"][data-result="OK"]`);
    const chain = page.locator('#log li.chain', { has: page.locator('li.rec.origin[data-op="sendPaymentOutcomeV2"]') });
    expect(await chain.locator('li.rec.receipt[data-op="paSendRTV2"]').count()).to.equal(3);
    expect(await chain.locator('li.rec.served[data-op="paSendRTV2"]').count()).to.equal(3);
    // Each station's record of its receipt right under the Nodo's delivery of it.
    const lines = await chain
      .locator('li.rec')
      .evaluateAll((ls) => ls.map((l) => `${l.classList.contains('served') ? 'served' : 'call'} ${l.getAttribute('data-party')} ${l.getAttribute('data-to')}`));
    for (const id of RECIPIENTS)
      expect(lines.indexOf(`served station:${id} station:${id}`), lines.join('\n')).to.equal(lines.indexOf(`call nodo station:${id}`) + 1);
  });

  it('draws the payment as a sequence: verify → paVerify, activate → paGetPaymentV2, outcome → a receipt to every recipient', async () => {
    await page.click('#tab-sequence');
    await page.waitForSelector('#sequence g.msg[data-op="paSendRTV2"]');
    const ops = await page.$$eval('#sequence g.msg', (gs) =>
      gs.map((g) => `${g.getAttribute('data-op')} ${g.getAttribute('data-from')}→${g.getAttribute('data-to')} ${g.getAttribute('data-result')}`),
    );
    expect(ops.slice(0, 5)).to.deep.equal([
      'verifyPaymentNotice psp→nodo OK',
      'paVerifyPaymentNotice nodo→station:77777777777_01 OK',
      'activatePaymentNoticeV2 psp→nodo OK',
      'paGetPaymentV2 nodo→station:77777777777_01 OK',
      'sendPaymentOutcomeV2 psp→nodo OK',
    ]);
    expect(ops.slice(5)).to.have.members(RECIPIENTS.map((id) => `paSendRTV2 nodo→station:${id} OK`));
    mkdirSync(join(PROJECT_ROOT, 'reports', 'explorer'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT)).to.equal(true);
  });

  it('the control buttons: reset the world, inject a station fault, set primitiveVersion 1, advance the clock past the token', async () => {
    const notice = (re: RegExp) => page.waitForFunction((src) => new RegExp(src).test(document.getElementById('notice')?.textContent ?? ''), re.source);
    await page.click('#reset-world'); // the notice paid above is payable again
    await notice(/World reset/);
    await page.click('#tab-world');
    await page.selectOption('#fault-operation', 'paVerifyPaymentNotice');
    await page.selectOption('#fault-kind', { label: 'HTTP 500 with an HTML page' });
    await page.fill('#fault-times', '1');
    await page.click('#fault-add');
    await page.waitForSelector('#injections li');
    await send('verifyPaymentNotice');
    expect(await page.textContent('#answer-status')).to.match(/outcome KO PPT_STAZIONE_INT_PA_ERRORE_RESPONSE/);
    await page.selectOption('select.pv[data-station="77777777777_01"]', '1');
    await notice(/primitiveVersion 1/);
    await send('activatePaymentNoticeV2');
    expect(await page.textContent('#answer-status')).to.match(/outcome OK/);
    await page.click('#tab-log');
    await page.waitForSelector('#log li.rec[data-op="paGetPayment"]'); // V1, not paGetPaymentV2
    await page.click('#advance-1h');
    await notice(/clock advanced by 1h/);
    await send('sendPaymentOutcomeV2');
    expect(await page.textContent('#answer-status')).to.match(/outcome KO PPT_TOKEN_SCADUTO/);
    await page.click('#reset-world'); // the registry as at start for the tests below
    await notice(/World reset/);
  });

  it('with a control token (serve off loopback), works from the printed URL #token=… and refuses without it', async () => {
    const guarded = await startServe({ port: 0, control: { token: 'explorer-secret' } });
    if (!guarded.ok) throw new Error(guarded.message);
    const other = await browser!.newPage();
    try {
      await other.goto(guarded.served.urls.explorer);
      await other.waitForSelector('body[data-ready="true"]');
      expect(await other.textContent('#notice')).to.match(/no control token was sent/);
      expect(await other.locator('.op').count()).to.equal(0);
      await other.goto('about:blank'); // a fragment-only change would not reload the page
      await other.goto(`${guarded.served.urls.explorer}#token=explorer-secret`);
      await other.waitForSelector('#op-verifyPaymentNotice');
      expect(new URL(other.url()).hash, 'the token is taken out of the address bar').to.equal('');
      await other.click('#op-verifyPaymentNotice');
      await other.click('#send');
      await other.waitForFunction(() => /outcome OK/.test(document.getElementById('answer-status')?.textContent ?? ''));
      await other.waitForSelector('#log li.rec.origin[data-op="verifyPaymentNotice"]');
    } finally {
      await other.close();
      await guarded.served.stop();
    }
  });

  it('validate-only marks a pasted message’s schema issue at its line', async () => {
    await page.click('#op-paVerifyPaymentNotice');
    await page.check('#mode-validate');
    await page.fill(
      '#request',
      [
        '<pafn:paVerifyPaymentNoticeRes xmlns:pafn="http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd">',
        '  <outcome>OK</outcome>',
        '  <paymentList/>',
        '</pafn:paVerifyPaymentNoticeRes>',
      ].join('\n'),
    );
    await page.click('#send');
    await page.waitForSelector('#request-issues li.issue');
    expect(await page.getAttribute('#request-issues li.issue', 'data-line')).to.equal('3');
    expect(await page.locator('.editor .gutter .ln.bad').first().textContent()).to.equal('3');
  });

  it("the world panel confers a station's positions to ACA, lists them, and puts the station in stand-in", async () => {
    await page.click('#tab-world');
    await page.click('button[data-confer="77777777777_01"]');
    await page.waitForSelector('#aca-positions td:text("77777777777 301000000000010252")');
    expect(s.world.aca.positions('77777777777').length).to.be.greaterThan(0);
    await page.check('input[data-standin="77777777777_01"]');
    await page.waitForSelector('#standin-events li:text-matches("77777777777_01 ADDED")');
    expect(s.world.nodo.standIn.stations().map((x) => `${x.station} ${x.by}`)).to.deep.equal(['77777777777_01 manual']);
    await page.uncheck('input[data-standin="77777777777_01"]');
    await page.waitForSelector('#standin-events li:text-matches("77777777777_01 REMOVED")');
    expect(s.world.nodo.standIn.stations()).to.deep.equal([]);
  });
});
