/** Boots the real app on 127.0.0.1:0 with an in-memory store and the sample content; outside calls blocked. */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type App, type AppOverrides, createApp } from '../../bot/app';
import { collections } from '../../bot/collections';
import { loadConfig } from '../../bot/config';
import { createLogger } from '../../bot/platform/logger';
import type { Store } from '../../bot/platform/store';
import { openSqliteStore } from '../../bot/platform/store/sqlite';
import { type Channel, type ChannelUser, makeUser, startChannel } from './channel';

export const root = path.resolve(__dirname, '../..');
export const sample = JSON.parse(
  require('node:fs').readFileSync(path.join(root, 'content/organisation.json'), 'utf8'),
) as {
  organisation: { tenantId: string };
  people: { id: string; name: string; locale: string; roles: string[] }[];
};

export function person(name: string): ChannelUser {
  const p = sample.people.find((x) => x.name === name);
  if (!p) throw new Error(`no ${name} in the sample organisation`);
  return makeUser(p.name, {
    aadObjectId: p.id,
    id: `29:${p.id}`,
    tenantId: sample.organisation.tenantId,
    locale: p.locale,
  });
}

export interface Running {
  app: App;
  channel: Channel;
  port: number;
  /** Stops the app and the channel (a channel that was handed in stays open). */
  close(): Promise<void>;
}

/** A clock the test moves by hand. */
export interface TestClock {
  (): Date;
  set(at: Date | string): void;
  advance(ms: number): void;
}

export function testClock(start: Date | string = '2026-11-23T08:00:00.000Z'): TestClock {
  let now = new Date(start).getTime();
  const clock = (() => new Date(now)) as TestClock;
  clock.set = (at) => {
    now = new Date(at).getTime();
  };
  clock.advance = (ms) => {
    now += ms;
  };
  return clock;
}

export interface StartOptions {
  /** The app's clock (default: the real one). */
  clock?: () => Date;
  /** A SQLite file instead of memory: a second app on the same file is the first one restarted. */
  dbFile?: string;
  /** Reuse a running channel (a restarted app); it is pointed at the new app and left open on close. */
  channel?: Channel;
  sender?: AppOverrides['sender'];
  /** Runs after the app is built and before it listens (and starts its sender and scheduler): register renderers and jobs here. */
  setup?: (app: App) => void | Promise<void>;
  /** A store of the test's own (e.g. one that fails on purpose). */
  store?: Store;
  /** How the app's Graph client reaches the local Graph endpoint (its msal network client). */
  graph?: AppOverrides['graph'];
}

export async function startApp(
  env: Record<string, string> = {},
  options: StartOptions = {},
): Promise<Running> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    VARN_CONTENT_DIR: path.join(root, 'content'),
    // generated files (reports) go to a fresh folder, never into the working tree
    VARN_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'varn-data-')),
    // no nightly retention job unless a test asks for one, so each test's scheduler runs only its own jobs
    VARN_RETENTION_REPORTS: 'never',
    VARN_RETENTION_QUESTIONS: 'never',
    VARN_RETENTION_QUIZ_ANSWERS: 'never',
    VARN_RETENTION_AUDIT: 'never',
    ...env,
  });
  const overrides: AppOverrides = {
    store: options.store ?? openSqliteStore(options.dbFile ?? ':memory:', collections),
    log: createLogger('silent'),
  };
  if (options.clock) overrides.clock = options.clock;
  if (options.sender) overrides.sender = options.sender;
  if (options.graph) overrides.graph = options.graph;
  const app = await createApp(config, overrides);
  await options.setup?.(app);
  const port = await app.listen();
  const botUrl = `http://127.0.0.1:${port}/api/messages`;
  const channel = options.channel ?? (await startChannel({ botUrl, tenantId: sample.organisation.tenantId }));
  if (options.channel) options.channel.setBotUrl(botUrl);
  return {
    app,
    channel,
    port,
    close: async () => {
      if (!options.channel) await channel.close();
      await app.close();
    },
  };
}

/**
 * Calls the tab's API on the embedded default as `who`, with a development token fetched for each call
 * (tests move the clock past a token's life). Answers the status and the parsed JSON.
 */
export function devApi(port: number) {
  const base = `http://127.0.0.1:${port}/api`;
  return async (who: { aadObjectId: string }, method: string, route: string, body?: unknown) => {
    const issued = await fetch(`${base}/dev/token`, {
      method: 'POST',
      body: JSON.stringify({ personId: who.aadObjectId }),
    });
    const { token } = (await issued.json()) as { token: string };
    const response = await fetch(`${base}${route}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as unknown };
  };
}

/** The message of an API error body (`{"error":{"code","message"}}`). */
export const errorOf = (json: unknown) => (json as { error: { message: string } }).error.message;
