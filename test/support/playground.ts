/**
 * Microsoft 365 Agents Playground as a test client: one Playground per person (its own port, the
 * person's config from content/playground), started offline (TEAMSAPPTESTER_BROWSER=none, telemetry off),
 * and one Debian chromium (playwright-core, a fresh profile, nothing downloaded) with a page per person.
 * The Playground renders and validates Adaptive Cards the way Teams does, so a test types and clicks
 * as the person would and reads what the person sees.
 *
 * Its limits (they bend the tests that meet them): it always sends `locale: en-US`, so everyone reads
 * English; it knows only the six people of its config (a send to anyone else fails with 500
 * UserNotFound at its connector); it does not support user-specific views (`refresh.userIds`); it
 * shows no emoji without a font for them (button names still hold them).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { root } from './app';

export const CHROMIUM = '/usr/bin/chromium';

/** Debian's chromium is there (the CI installs it with apt); without it the suite cannot run. */
export const chromiumAvailable = (): boolean => fs.existsSync(CHROMIUM);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface Playground {
  role: string;
  url: string;
  stop(): Promise<void>;
}

/** Starts one Playground for the person of content/playground/<role>.yml, talking to botUrl. */
export async function startPlayground(role: string, botUrl: string): Promise<Playground> {
  const config = path.join(root, 'content', 'playground', `${role}.yml`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `varn-playground-${role}-`));
  const cli = require.resolve('@microsoft/m365agentsplayground/cli.js');
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [cli, '-e', botUrl, '-c', 'msteams', '-p', String(port), '--disable-telemetry'],
    {
      cwd: dir,
      env: {
        ...process.env,
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: config,
        M365_AGENTS_PLAYGROUND_LOGFILE: path.join(dir, 'playground.log'),
        TEAMSAPPTESTER_BROWSER: 'none',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const listening = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the ${role} Playground did not start: ${output}`)),
      60_000,
    );
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      // it falls back to a random port when the one asked for is taken, and says which
      const match = /Listening on (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the ${role} Playground exited (${code}): ${output}`));
    });
  });
  return {
    role,
    url: `http://127.0.0.1:${listening}/`,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One chromium with a fresh profile; every person gets a page of it. */
export async function startBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'varn-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 1000 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A person at their Playground: types, clicks and reads as they would. */
export class PersonAtPlayground {
  constructor(
    readonly name: string,
    readonly page: Page,
  ) {}

  static async open(
    name: string,
    context: BrowserContext,
    playground: Playground,
  ): Promise<PersonAtPlayground> {
    const page = await context.newPage();
    // generous: on a loaded machine the Playground's bundle takes a while to arrive and start
    await page.goto(playground.url, { waitUntil: 'commit', timeout: 120_000 });
    await page.getByRole('textbox').first().waitFor({ timeout: 120_000 });
    return new PersonAtPlayground(name, page);
  }

  /** The cards in the chat, oldest first. */
  cards(): Locator {
    return this.page.locator('.ac-adaptiveCard');
  }

  lastCard(): Locator {
    return this.cards().last();
  }

  /** Types a message and sends it with Enter. */
  async say(text: string): Promise<void> {
    // the chat's own box, not a text input of a card in the chat
    const box = this.page.getByRole('textbox').and(this.page.locator(':not(.ac-adaptiveCard *)')).first();
    await box.click();
    await this.page.keyboard.type(text);
    await this.page.keyboard.press('Enter');
  }

  /** Types a message and waits for the next card in the chat (the bot's reply), which it returns. */
  async ask(text: string, timeout = 30_000): Promise<Locator> {
    const before = await this.cards().count();
    await this.say(text);
    await this.shown(
      this.page
        .waitForFunction((n) => document.querySelectorAll('.ac-adaptiveCard').length > n, before, { timeout })
        .then(() => {}),
      `a card after "${text}"`,
    );
    return this.cards().nth(before);
  }

  /** Waits until a card in the chat shows the text, and returns that card. */
  async seeCard(text: string | RegExp, timeout = 30_000): Promise<Locator> {
    const card = this.cards().filter({ hasText: text }).last();
    await this.shown(card.waitFor({ state: 'visible', timeout }), text);
    return card;
  }

  /** Waits until the text is visible anywhere in the chat. */
  async see(text: string | RegExp, timeout = 30_000): Promise<void> {
    await this.shown(this.page.getByText(text).last().waitFor({ state: 'visible', timeout }), text);
  }

  /** When the person does not see what the test expects, a screenshot of their screen says what they saw. */
  private async shown(waiting: Promise<void>, text: string | RegExp): Promise<void> {
    try {
      await waiting;
    } catch (error) {
      const file = path.join(
        os.tmpdir(),
        `varn-playground-${this.name.replace(/\W+/g, '-')}-${Date.now()}.png`,
      );
      await this.page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      throw new Error(`${this.name} did not see ${String(text)} (their screen: ${file})`, { cause: error });
    }
  }

  /** Clicks a card's button by its name (the last card that has it, unless a card is given). */
  async click(name: string | RegExp, card?: Locator): Promise<void> {
    await (card ?? this.page)
      .getByRole('button', { name, exact: typeof name === 'string' })
      .last()
      .click();
  }

  /** Picks an option of a card's choice input (a checkbox list, a select or a Fluent dropdown), found by its label. */
  async choose(card: Locator, label: string | RegExp, option: string): Promise<void> {
    const checkbox = card.getByRole('checkbox', { name: option, exact: true });
    if ((await checkbox.count()) > 0) {
      await checkbox.first().check();
      return;
    }
    const control = card.getByLabel(label).first();
    if ((await control.evaluate((e) => e.tagName)) === 'SELECT') {
      await control.selectOption({ label: option });
      return;
    }
    // a Fluent combobox: open it and tick the option in its list, as a person would
    await control.click();
    const inList = this.page.getByRole('checkbox', { name: option, exact: true });
    if ((await inList.count()) > 0) await inList.first().check();
    else await this.page.getByText(option, { exact: true }).last().click();
    await this.page.keyboard.press('Escape');
  }

  /** Picks an option of one given single-choice dropdown (a Fluent combobox). */
  async chooseIn(control: Locator, option: string): Promise<void> {
    await control.click();
    await this.page
      .getByRole('option', { name: option, exact: true })
      .or(this.page.getByText(option, { exact: true }))
      .last()
      .click();
  }

  /** Types into a card's input, found by its label as a screen reader would. */
  async fill(card: Locator, label: string | RegExp, value: string): Promise<void> {
    const input = card.getByLabel(label).first();
    await input.click();
    await input.fill(value);
  }

  /** Whether a card's button shows its whole name (not cut off with an ellipsis). */
  async buttonFits(name: string | RegExp, card?: Locator): Promise<boolean> {
    const button = (card ?? this.page).getByRole('button', { name, exact: typeof name === 'string' }).last();
    return button.evaluate((element) =>
      [element, ...element.querySelectorAll('*')].every((e) => e.scrollWidth <= e.clientWidth + 1),
    );
  }
}
