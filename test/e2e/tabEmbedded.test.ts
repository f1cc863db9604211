/**
 * The embedded default (no tenant): the tab signs in with a token the app issues itself, from its own
 * key in the data directory, for a person of the sample organisation. Over real HTTP.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { person, sample, startApp } from '../support/app';
import { startTokenIssuer } from '../support/tokens';

const malin = person('Malin Forsberg');

// boots the app twice (the key must survive a restart)
jest.setTimeout(90_000);

test('a sample person gets a local token that the tab API accepts, and it survives a restart; foreign tokens do not pass', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'varn-tab-'));
  const first = await startApp({ VARN_DATA_DIR: dataDir });
  let token: string;
  try {
    const base = `http://127.0.0.1:${first.port}/api`;
    const people = (await (await fetch(`${base}/dev/people`)).json()) as {
      id: string;
      name: string;
      roles: string[];
    }[];
    expect(people.find((p) => p.id === malin.aadObjectId)?.roles).toContain('securityChief');
    expect(people).toHaveLength(sample.people.length);

    expect(fs.existsSync(path.join(dataDir, 'tab-signing-key.json'))).toBe(false);
    const issued = await fetch(`${base}/dev/token`, {
      method: 'POST',
      body: JSON.stringify({ personId: malin.aadObjectId }),
    });
    expect(issued.status).toBe(200);
    ({ token } = (await issued.json()) as { token: string });
    expect(fs.existsSync(path.join(dataDir, 'tab-signing-key.json'))).toBe(true);

    const me = await fetch(`${base}/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ name: 'Malin Forsberg' });

    const stranger = await fetch(`${base}/dev/token`, {
      method: 'POST',
      body: JSON.stringify({ personId: 'someone-else' }),
      headers: { 'accept-language': 'en' },
    });
    expect(stranger.status).toBe(400);
    expect(((await stranger.json()) as { error: { message: string } }).error.message).toContain('personId');

    // a token signed by anyone else (here: an Entra-shaped token from another key) is refused
    const foreign = await startTokenIssuer({
      tenantId: sample.organisation.tenantId,
      clientId: 'x',
      appIdUri: 'api://localhost/varn',
    });
    try {
      const refused = await fetch(`${base}/me`, {
        headers: { authorization: `Bearer ${await foreign.valid(malin.aadObjectId)}` },
      });
      expect(refused.status).toBe(401);
    } finally {
      await foreign.close();
    }
  } finally {
    await first.close();
  }

  const second = await startApp({ VARN_DATA_DIR: dataDir });
  try {
    const me = await fetch(`http://127.0.0.1:${second.port}/api/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.status).toBe(200);
  } finally {
    await second.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
