/** Boots the real app on 127.0.0.1:0 with an in-memory store and the sample content; outside calls blocked. */
import path from 'node:path';
import { type App, createApp } from '../../bot/app';
import { loadConfig } from '../../bot/config';
import { createLogger } from '../../bot/logger';
import type { Store } from '../../bot/store';
import { openSqliteStore } from '../../bot/store/sqlite';
import { type Channel, type ChannelUser, makeUser, startChannel } from './channel';

export const root = path.resolve(__dirname, '../..');
export const sample = JSON.parse(
  require('node:fs').readFileSync(path.join(root, 'content/organisation.json'), 'utf8'),
) as { organisation: { tenantId: string }; people: { id: string; name: string; locale: string; roles: string[] }[] };

export function person(name: string): ChannelUser {
  const p = sample.people.find((x) => x.name === name);
  if (!p) throw new Error(`no ${name} in the sample organisation`);
  return makeUser(p.name, { aadObjectId: p.id, id: `29:${p.id}`, tenantId: sample.organisation.tenantId, locale: p.locale });
}

export interface Running {
  app: App;
  channel: Channel;
  port: number;
  close(): Promise<void>;
}

export async function startApp(env: Record<string, string> = {}, options: { store?: Store } = {}): Promise<Running> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', VARN_CONTENT_DIR: path.join(root, 'content'), ...env });
  const app = await createApp(config, { store: options.store ?? openSqliteStore(':memory:'), log: createLogger('silent') });
  const port = await app.listen();
  const channel = await startChannel({ botUrl: `http://127.0.0.1:${port}/api/messages`, tenantId: sample.organisation.tenantId });
  return {
    app,
    channel,
    port,
    close: async () => {
      await channel.close();
      await app.close();
    },
  };
}
