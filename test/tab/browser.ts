/**
 * The tab's browser tests' support: the real service (embedded default, in-memory store, port 0) and one
 * Debian Chromium through playwright-core, shared by a test file. Nothing downloads a browser; a missing
 * /usr/bin/chromium is a failure that says how to install it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { type Running, root, type StartOptions, sample, startApp } from '../support/app';

export const CHROMIUM = process.env.VARN_CHROMIUM ?? '/usr/bin/chromium';
export const THEMES = ['default', 'dark', 'contrast'] as const;
export type ThemeName = (typeof THEMES)[number];

export function personId(name: string): string {
  const found = sample.people.find((p) => p.name === name);
  if (!found) throw new Error(`no ${name} in the sample organisation`);
  return found.id;
}

export interface TabRig {
  running: Running;
  browser: Browser;
  base: string;
  /** A fresh browser context signed in (development sign-in) as the person, on the view and theme given. */
  open(person: string, view: string, options?: { theme?: ThemeName; lang?: string }): Promise<Page>;
  /** A token for direct API calls (the forged calls a test makes by hand). */
  token(person: string): Promise<string>;
  close(): Promise<void>;
}

export async function startTabRig(
  env: Record<string, string> = {},
  options: StartOptions = {},
): Promise<TabRig> {
  if (!fs.existsSync(path.join(root, 'dist/tab/main.js')))
    throw new Error('the tab is not built: run `npm run build` first');
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM}: install Debian's package (apt-get install -y chromium)`);
  const running = await startApp(env, options);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const base = `http://127.0.0.1:${running.port}`;
  const contexts: BrowserContext[] = [];
  return {
    running,
    browser,
    base,
    open: async (person, view, { theme = 'default', lang } = {}) => {
      const context = await browser.newContext({ locale: lang ?? 'sv-SE', acceptDownloads: true });
      contexts.push(context);
      // the development sign-in remembers the chosen person (an id, never a token) for the browser tab
      await context.addInitScript((id) => sessionStorage.setItem('varn.devPerson', id), personId(person));
      const page = await context.newPage();
      await page.goto(`${base}/tab/?theme=${theme}${lang ? `&lang=${lang}` : ''}#/${view}`);
      await page.getByRole('navigation').waitFor();
      return page;
    },
    token: async (person) => {
      const response = await fetch(`${base}/api/dev/token`, {
        method: 'POST',
        body: JSON.stringify({ personId: personId(person) }),
      });
      return ((await response.json()) as { token: string }).token;
    },
    close: async () => {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await running.close();
    },
  };
}

const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Rules left out, each with its reason (none so far: every rule runs). */
export const AXE_EXCLUDED_RULES: Record<string, string> = {};

/**
 * Elements left out of the check, each with its reason:
 * - `[data-tabster-dummy]`: Fluent UI's focus-trap helpers (tabster) around dialogs and lists, empty
 *   `<i tabindex="0" aria-hidden="true">` elements that pass focus straight on to the real control; axe's
 *   aria-hidden-focus flags them, but a keyboard or screen-reader user never lands on them (a known false positive).
 */
export const AXE_EXCLUDED_ELEMENTS: Record<string, string> = {
  '[data-tabster-dummy]': "Fluent's focus-trap helpers: focus passes through them to the real control",
};

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** axe-core's WCAG 2.1 A/AA and EN 301 549 rules on the page as it stands (injected past the CSP by the driver). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE);
  return page.evaluate(
    async ([excluded, elements]) => {
      const axe = (
        window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: unknown[] }> } }
      ).axe;
      const result = await axe.run(
        { include: [['html']], exclude: elements.map((e) => [e]) },
        {
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'EN-301-549'] },
          rules: Object.fromEntries(excluded.map((id) => [id, { enabled: false }])),
        },
      );
      return result.violations as AxeViolation[];
    },
    [Object.keys(AXE_EXCLUDED_RULES), Object.keys(AXE_EXCLUDED_ELEMENTS)] as const,
  );
}
