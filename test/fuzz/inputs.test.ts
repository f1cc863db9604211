/**
 * The fuzz suite: property-based inputs (fast-check) over real HTTP against the running app, on a store
 * with an open yearly review, a sent campaign and an escalated question, so that generated ids hit real
 * records as well as unknown ones. Three generators:
 *  - activities to /api/messages with one field of the wrong type, or any JSON at all;
 *  - card actions (Action.Execute) of every verb, by people of every role, with generated data built from
 *    the keys the cards really send, real and unknown ids, `__proto__`, long strings, numbers, arrays;
 *  - every tab API route (every method and path the server mounts), with generated params and bodies.
 * Properties: no 5xx and no "something went wrong on my side" (an exception a handler did not expect);
 * every refusal is a message of the catalogue in the caller's language; a refused input changes no record.
 * Inputs that were accepted (a card, a 2xx) may change records and are counted apart.
 *
 * FUZZ_RUNS (default 1000 per generator) and FUZZ_SEED reproduce a run; the figures are printed as JSON.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { en } from '../../bot/platform/i18n/en';
import { sv } from '../../bot/platform/i18n/sv';
import { person, type Running, root, sample, startApp } from '../support/app';
import type { ChannelUser } from '../support/channel';
import { openCycleForm } from '../support/review';

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
jest.setTimeout(30 * 60_000);

// ---------------------------------------------------------------------------------------------------------------
// The catalogue as patterns: a refusal must be one of these, in the caller's language

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Each message as a pattern (parameters match anything), the most specific first; bare parameters match nothing. */
const patterns = (catalogue: Record<string, string>) =>
  Object.entries(catalogue)
    .map(([key, template]) => ({
      key,
      literal: template.replace(/\{\w+\}/g, '').trim().length,
      pattern: new RegExp(`^${escapeRegExp(template).replace(/\\\{\w+\\\}/g, '[\\s\\S]*')}$`),
    }))
    .filter((p) => p.literal > 3)
    .sort((a, b) => b.literal - a.literal)
    .map((p) => [p.key, p.pattern] as const);
const catalogues = { sv: patterns(sv), en: patterns(en) };
const keyOf = (lang: 'sv' | 'en', message: string) =>
  catalogues[lang].find(([, pattern]) => pattern.test(message))?.[0];

// ---------------------------------------------------------------------------------------------------------------
// What the cards really send: every verb, every key of their data and inputs

function cardVocabulary(registered: readonly string[]): { verbs: string[]; keys: string[] } {
  const found = { verbs: new Set<string>(registered), keys: new Set<string>() };
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (typeof o.verb === 'string' && !o.verb.includes('$')) found.verbs.add(o.verb);
    if (o.data && typeof o.data === 'object') for (const k of Object.keys(o.data)) found.keys.add(k);
    if (
      typeof o.type === 'string' &&
      o.type.startsWith('Input.') &&
      typeof o.id === 'string' &&
      !o.id.includes('$')
    )
      found.keys.add(o.id);
    Object.values(o).forEach(walk);
  };
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.name.endsWith('.json') && full.includes(`${path.sep}cards${path.sep}`))
        walk(JSON.parse(fs.readFileSync(full, 'utf8')));
    }
  };
  visit(path.join(root, 'bot'));
  return { verbs: [...found.verbs].sort(), keys: [...found.keys].filter((k) => !k.includes('$')).sort() };
}

// ---------------------------------------------------------------------------------------------------------------

const people = {
  chief: person('Malin Forsberg'),
  officer: person('Erik Nordlund'),
  employee: person('Johanna Persson'),
  english: person('James Whitfield'),
};
const manager = (() => {
  const p = sample.people.find((x) => x.roles.includes('unitManager'));
  return person((p as { name: string }).name);
})();
const everyone: ChannelUser[] = [...Object.values(people), manager];

let running: Running;
let realIds: string[] = [];
let vocabulary: { verbs: string[]; keys: string[] } = { verbs: [], keys: [] };
const figures = {
  seed: SEED,
  runsPerGenerator: RUNS,
  inputs: { activities: 0, cardActions: 0, tabApi: 0 },
  accepted: { activities: 0, cardActions: 0, tabApi: 0 },
  refused: 0,
  status5xx: 0,
  internalErrors: 0,
  changedRecordsByRefusals: 0,
  messagesOutsideCatalogue: 0,
  wrongLanguage: 0,
};

/** Every record but the knowledge index and conversation references (a turn legitimately refreshes those). */
async function fingerprint(): Promise<string> {
  // what earlier accepted inputs set going (cards being sent) settles first
  await running.app.sender.idle();
  const store = running.app.store as unknown as Record<
    string,
    { list?: () => Promise<unknown[]>; find?: (w: object) => Promise<unknown[]> }
  >;
  const parts: string[] = [];
  for (const [name, collection] of Object.entries(store).sort()) {
    if (['passages', 'documents', 'conversations'].includes(name) || typeof collection !== 'object') continue;
    const rows = collection.list
      ? await collection.list()
      : collection.find
        ? await collection.find({})
        : undefined;
    if (rows) parts.push(`${name}:${JSON.stringify(rows)}`);
  }
  return parts.join('\n');
}

beforeAll(async () => {
  running = await startApp({ VARN_RATE_LIMIT_PER_MINUTE: '0' });
  const { channel, app } = running;
  // every verb a feature registers, and every verb and data key the card templates use
  vocabulary = cardVocabulary(app.features.flatMap((f) => f.verbs.map((v) => v.verb)));
  for (const user of everyone) await channel.installBot(user);
  // records for the generated ids to hit: an open review, a campaign, an escalated question
  await channel.execute(people.chief, 'review.openCycle', openCycleForm());
  const asked = await channel.say(people.employee, 'Får jag ta med mig min privata dator till jobbet?');
  expect(asked.status).toBe(200);
  const question = (await app.store.questions.list())[0];
  if (question)
    await channel.execute(people.employee, 'questions.escalate', { questionId: question.value.id });
  await channel.execute(people.chief, 'campaigns.compose', {
    campaignId: '',
    step: 'content',
    goto: 'response',
    title: 'Fuzz',
    text: 'Lås skärmen.',
  });
  const collections = [
    'reviewCycles',
    'unitReviews',
    'followUps',
    'questions',
    'campaigns',
    'documentReviews',
  ] as const;
  for (const name of collections)
    realIds.push(...(await app.store[name].list()).map((r) => (r.value as { id: string }).id));
  realIds = realIds.slice(0, 60);
  // the scheduler's timer would run jobs due by the real clock between two fingerprints: jobs then run only
  // when an input asks for it (runNow), and what is due now runs first
  await app.scheduler.stop();
  while ((await app.scheduler.runDue()) > 0);
  expect(realIds.length).toBeGreaterThan(3);
});

afterAll(async () => {
  process.stdout.write(`${JSON.stringify({ fuzz: figures })}\n`);
  await running?.close();
});

// ---------------------------------------------------------------------------------------------------------------
// Generators

const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    '../../etc/passwd',
    '<script>',
    '%00',
    '',
    '\u0000',
  ),
  fc.integer({ min: 1000, max: 12_000 }).map((n) => 'x'.repeat(n)),
);
const idValue = () => fc.oneof(fc.constantFrom(...realIds), fc.uuid(), hostileString);
const anyValue = fc.oneof(
  { depthSize: 'small' },
  fc.jsonValue({ maxDepth: 2 }),
  hostileString,
  fc.integer(),
  fc.constant(null),
);
/** A value that is not a string (for fields the activity must give as strings). */
const notString = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
);

const cardData = () =>
  fc
    .array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom(...vocabulary.keys),
          fc.constantFrom('__proto__', 'constructor', 'verb'),
          fc.string({ maxLength: 8 }),
        ),
        fc.oneof(idValue(), anyValue),
      ),
      { maxLength: 8 },
    )
    .map((entries) => {
      const data: Record<string, unknown> = {};
      for (const [key, value] of entries)
        Object.defineProperty(data, key, { value, enumerable: true, writable: true, configurable: true });
      return data;
    });

// ---------------------------------------------------------------------------------------------------------------

async function checkRefusal(message: string, lang: 'sv' | 'en', before: string, where: string) {
  figures.refused += 1;
  const key = keyOf(lang, message);
  if (!key) {
    const other = keyOf(lang === 'sv' ? 'en' : 'sv', message);
    if (other) figures.wrongLanguage += 1;
    else figures.messagesOutsideCatalogue += 1;
    throw new Error(`${where}: a refusal that is not a ${lang} catalogue message: ${message.slice(0, 200)}`);
  }
  if (key === 'error.internal') {
    figures.internalErrors += 1;
    throw new Error(`${where}: an unexpected failure inside (error.internal)`);
  }
  const after = await fingerprint();
  if (after !== before) {
    figures.changedRecordsByRefusals += 1;
    const lines = new Set(before.split('\n'));
    const changed = after
      .split('\n')
      .filter((line) => !lines.has(line))
      .map((line) => line.slice(0, line.indexOf(':')));
    throw new Error(`${where}: a refused input (${key}) changed records in ${changed.join(', ')}`);
  }
}

test('activities with wrongly typed fields, or any JSON, get 400 with a catalogue message and change nothing', async () => {
  const { channel } = running;
  const fields = [
    'type',
    'text',
    'locale',
    'from',
    'conversation',
    'serviceUrl',
    'channelData',
    'attachments',
    'membersAdded',
    'name',
    'value',
  ];
  const mutated = fc.record({
    user: fc.constantFrom(...everyone),
    kind: fc.constantFrom('message', 'invoke', 'conversationUpdate'),
    field: fc.constantFrom(...fields),
    value: notString,
  });
  const whole = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.string({ maxLength: 200 }));
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        mutated.map((m) => ({ m })),
        whole.map((w) => ({ w })),
      ),
      async (input) => {
        figures.inputs.activities += 1;
        const before = await fingerprint();
        let body: unknown;
        let lang: 'sv' | 'en' = 'sv';
        if ('m' in input) {
          const { user, kind, field, value } = input.m;
          const base = channel.buildActivity(user, {
            type: kind,
            ...(kind === 'invoke'
              ? {
                  name: 'adaptiveCard/action',
                  value: { action: { type: 'Action.Execute', verb: 'review.view', data: {} } },
                }
              : {}),
          }) as unknown as Record<string, unknown>;
          // `name` and `value` have a type to break on an invoke only; elsewhere the text is broken instead
          const broken = (field === 'value' || field === 'name') && kind !== 'invoke' ? 'text' : field;
          if (broken === 'value') base.value = { action: value };
          else base[broken] = value;
          lang = typeof base.locale === 'string' && /^en/i.test(base.locale) ? 'en' : 'sv';
          body = base;
        } else {
          body = input.w;
        }
        const response = await channel.post(typeof body === 'string' ? body : JSON.stringify(body ?? null));
        if (response.status >= 500) figures.status5xx += 1;
        expect(response.status).toBeLessThan(500);
        if (response.status < 400) {
          // a field the bot does not need (an empty list, a channelData object) left a valid activity
          figures.accepted.activities += 1;
          return;
        }
        const message = (JSON.parse(response.text) as { error?: { message?: string } }).error?.message ?? '';
        await checkRefusal(message, lang, before, 'activity');
      },
    ),
    { numRuns: RUNS, seed: SEED },
  );
});

test('card actions of every verb with generated data: no failure inside, refusals in the caller’s language change nothing', async () => {
  const { channel } = running;
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...everyone),
      fc.constantFrom(...vocabulary.verbs, 'review.unknown', ''),
      cardData(),
      async (user, verb, data) => {
        figures.inputs.cardActions += 1;
        const before = await fingerprint();
        const response = await channel.execute(user, verb, data);
        if (response.status >= 500) figures.status5xx += 1;
        expect(response.status).toBeLessThan(500);
        const body = response.body as { type?: string; value?: unknown };
        const lang = /^en/i.test(user.locale ?? '') ? 'en' : 'sv';
        if (body?.type === 'application/vnd.microsoft.activity.message')
          await checkRefusal(
            String(body.value),
            lang,
            before,
            `${verb} ${JSON.stringify(data).slice(0, 200)}`,
          );
        else figures.accepted.cardActions += 1;
      },
    ),
    { numRuns: RUNS, seed: SEED },
  );
});

test('every tab API route with generated params and bodies: no 5xx, refusals in the caller’s language change nothing', async () => {
  const base = `http://127.0.0.1:${running.port}`;
  const routes = (running.app.server.getDebugInfo().routes as { method: string; path: string }[])
    .map((r) => ({ method: r.method.toUpperCase(), path: String(r.path) }))
    .filter(
      (r) => r.path.startsWith('/api/') && !r.path.startsWith('/api/dev/') && r.path !== '/api/messages',
    );
  expect(routes.length).toBeGreaterThan(15);
  const tokens = new Map<string, string>();
  for (const user of everyone) {
    const issued = await fetch(`${base}/api/dev/token`, {
      method: 'POST',
      body: JSON.stringify({ personId: user.aadObjectId }),
    });
    tokens.set(user.aadObjectId as string, ((await issued.json()) as { token: string }).token);
  }
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...routes),
      fc.constantFrom(...everyone),
      fc.constantFrom(undefined, 'sv-SE', 'en-GB', 'de-DE, en;q=0.5'),
      fc.array(idValue(), { minLength: 3, maxLength: 3 }),
      fc.oneof(
        fc.constant(undefined),
        fc.jsonValue({ maxDepth: 3 }),
        cardData(),
        fc.string({ maxLength: 50 }),
      ),
      async (route, user, acceptLanguage, ids, body) => {
        figures.inputs.tabApi += 1;
        const before = await fingerprint();
        let i = 0;
        const url = route.path.replace(/:(\w+)/g, () =>
          encodeURIComponent(String(ids[i++ % ids.length]).slice(0, 2000)),
        );
        const headers: Record<string, string> = {
          authorization: `Bearer ${tokens.get(user.aadObjectId as string)}`,
        };
        if (acceptLanguage) headers['accept-language'] = acceptLanguage;
        const response = await fetch(`${base}${url}`, {
          method: route.method,
          headers,
          body:
            route.method === 'GET' || route.method === 'HEAD' || body === undefined
              ? undefined
              : typeof body === 'string'
                ? body
                : JSON.stringify(body),
        });
        if (response.status >= 500) figures.status5xx += 1;
        expect(response.status).toBeLessThan(500);
        const text = await response.text();
        if (response.status < 400) {
          figures.accepted.tabApi += 1;
          return;
        }
        if (response.status === 404 && text === '') return; // a path that is not a route: restify's own 404
        const lang = acceptLanguage
          ? /^en/.test(acceptLanguage)
            ? 'en'
            : acceptLanguage.startsWith('sv')
              ? 'sv'
              : 'en'
          : /^en/i.test(user.locale ?? '')
            ? 'en'
            : 'sv';
        const message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? '';
        await checkRefusal(
          message,
          lang,
          before,
          `${route.method} ${url} ${JSON.stringify(body)?.slice(0, 200)}`,
        );
      },
    ),
    { numRuns: RUNS, seed: SEED },
  );
});
