/**
 * Every card verb a template carries is registered by the feature that owns the template (platform
 * cards: by some feature), every verb a feature declares in its verbs.ts has a handler, and no verb
 * is registered twice. A typo in a template ("review.aprove") would otherwise ship and show
 * "unknown action" at run time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type App, createApp } from '../../bot/app';
import { collections } from '../../bot/collections';
import { loadConfig } from '../../bot/config';
import { verbs as campaignVerbs } from '../../bot/features/campaigns/verbs';
import { verbs as governanceVerbs } from '../../bot/features/governance/verbs';
import { verbs as questionVerbs } from '../../bot/features/questions/verbs';
import { verbs as reportVerbs } from '../../bot/features/reports/verbs';
import { verbs as reviewVerbs } from '../../bot/features/review/verbs';
import { createLogger } from '../../bot/platform/logger';
import { openSqliteStore } from '../../bot/platform/store/sqlite';
import { root } from '../support/app';

const declared: Record<string, Record<string, string>> = {
  campaigns: campaignVerbs,
  governance: governanceVerbs,
  questions: questionVerbs,
  reports: reportVerbs,
  review: reviewVerbs,
};

/** The literal verbs a card template carries (a `${…}` verb is filled in by a presenter from verbs.ts). */
function verbsIn(template: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) for (const item of node) walk(item);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'verb' && typeof value === 'string' && !value.startsWith('${')) found.push(value);
        else walk(value);
      }
    }
  };
  walk(template);
  return found;
}

const unregistered = (template: unknown, registered: ReadonlySet<string>) =>
  verbsIn(template).filter((verb) => !registered.has(verb));

/** Card templates by the feature whose folder holds them ('platform' for bot/platform). */
function templates(): { owner: string; file: string; template: unknown }[] {
  const bot = path.join(root, 'bot');
  return fs
    .readdirSync(bot, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json') && path.basename(path.dirname(f)) === 'cards')
    .map((f) => {
      const parts = f.split(path.sep);
      const owner = parts[0] === 'features' ? (parts[1] ?? '') : 'platform';
      return { owner, file: f, template: JSON.parse(fs.readFileSync(path.join(bot, f), 'utf8')) };
    });
}

let app: App;
beforeAll(async () => {
  const config = loadConfig({
    PORT: '0',
    LOG_LEVEL: 'silent',
    VARN_CONTENT_DIR: path.join(root, 'content'),
    VARN_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'varn-data-')),
  });
  app = await createApp(config, {
    store: openSqliteStore(':memory:', collections),
    log: createLogger('silent'),
  });
});
afterAll(() => app.close());

const registeredBy = (name: string) =>
  new Set(app.features.filter((f) => f.name === name).flatMap((f) => f.verbs.map((r) => r.verb)));

test('every verb in every card template is registered by the feature that owns the template', () => {
  const all = new Set(app.features.flatMap((f) => f.verbs.map((r) => r.verb)));
  const found = templates();
  expect(found.length).toBeGreaterThanOrEqual(20);
  const problems = found.flatMap(({ owner, file, template }) =>
    unregistered(template, owner === 'platform' ? all : registeredBy(owner)).map(
      (verb) => `${file}: ${verb}`,
    ),
  );
  expect(problems).toEqual([]);
  // the check reads real verbs: the templates carry dozens of them
  expect(found.flatMap(({ template }) => verbsIn(template)).length).toBeGreaterThan(50);
});

test('a typo in a template is caught', () => {
  const typo = {
    type: 'AdaptiveCard',
    actions: [
      { type: 'Action.Execute', title: 'Godkänn', verb: 'review.aprove', data: {} },
      { type: 'Action.Execute', title: 'Öppna', verb: 'review.view', data: {} },
    ],
  };
  expect(unregistered(typo, registeredBy('review'))).toEqual(['review.aprove']);
  // a verb of another feature is not this feature's to handle either
  expect(unregistered({ verb: 'campaigns.send' }, registeredBy('review'))).toEqual(['campaigns.send']);
});

test("every verb a feature declares has a handler in that feature's face, and none is registered twice", () => {
  for (const [name, constants] of Object.entries(declared)) {
    const routes = app.features.find((f) => f.name === name)?.verbs ?? [];
    for (const verb of Object.values(constants)) {
      const route = routes.find((r) => r.verb === verb);
      expect({ name, verb, handled: typeof route?.handle }).toEqual({ name, verb, handled: 'function' });
    }
    expect(routes.map((r) => r.verb).sort()).toEqual(Object.values(constants).sort());
  }
  const every = app.features.flatMap((f) => f.verbs.map((r) => r.verb));
  expect(every.length).toBe(new Set(every).size);
});
