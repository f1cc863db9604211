import { ConfigError, loadConfig } from '../../bot/config';

test('with no tenant configured, the embedded default runs on port 3978 with SQLite under ./data', () => {
  const config = loadConfig({});
  expect(config.embedded).toBe(true);
  expect(config.port).toBe(3978);
  expect(config.dbPath).toMatch(/data[/\\]varn\.sqlite$/);
});

test('a bad value stops the start with a message naming the setting and what is expected', () => {
  expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
  try {
    loadConfig({ PORT: 'eighty', MicrosoftAppId: 'not-a-guid' });
  } catch (error) {
    const message = (error as Error).message;
    expect(message).toContain('PORT');
    expect(message).toContain('MicrosoftAppId: expected a GUID');
  }
});

test('a bot app id needs a single-tenant or managed-identity app type, and a tenant for single tenant', () => {
  const id = '3f1c2b4a-1111-4222-8333-444455556666';
  expect(() => loadConfig({ MicrosoftAppId: id, MicrosoftAppType: 'MultiTenant' })).toThrow(/MicrosoftAppType/);
  expect(() => loadConfig({ MicrosoftAppId: id, MicrosoftAppType: 'SingleTenant', MicrosoftAppPassword: 's' })).toThrow(/MicrosoftAppTenantId/);
  const ok = loadConfig({ MicrosoftAppId: id, MicrosoftAppType: 'SingleTenant', MicrosoftAppPassword: 's', MicrosoftAppTenantId: id });
  expect(ok.embedded).toBe(false);
});

test("the sender's default service URL and the scheduler's poll interval are settings, checked at start", () => {
  const defaults = loadConfig({});
  expect(defaults.teamsServiceUrl).toBe('https://smba.trafficmanager.net/teams/');
  expect(defaults.schedulerPollMs).toBe(60_000);
  const set = loadConfig({ VARN_TEAMS_SERVICE_URL: 'https://smba.trafficmanager.net/emea/', VARN_SCHEDULER_POLL_SECONDS: '0.5' });
  expect(set.teamsServiceUrl).toBe('https://smba.trafficmanager.net/emea/');
  expect(set.schedulerPollMs).toBe(500);
  expect(() => loadConfig({ VARN_TEAMS_SERVICE_URL: 'smba' })).toThrow(/VARN_TEAMS_SERVICE_URL: expected the Bot Connector service URL/);
  expect(() => loadConfig({ VARN_SCHEDULER_POLL_SECONDS: '0' })).toThrow(/VARN_SCHEDULER_POLL_SECONDS/);
});

test("the sender's lease on a claimed delivery is a setting of whole seconds, two minutes unless set", () => {
  expect(loadConfig({}).senderLeaseMs).toBe(120_000);
  expect(loadConfig({ VARN_SENDER_LEASE_SECONDS: '5' }).senderLeaseMs).toBe(5_000);
  for (const bad of ['0', '1.5', 'soon', '86401'])
    expect(() => loadConfig({ VARN_SENDER_LEASE_SECONDS: bad })).toThrow(
      /VARN_SENDER_LEASE_SECONDS: expected/,
    );
});
