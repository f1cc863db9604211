import { ConfigError, loadConfig } from '../../bot/config';

test('with no tenant configured, the embedded default runs on port 3978 with SQLite under ./data', () => {
  const config = loadConfig({});
  expect(config.embedded).toBe(true);
  expect(config.port).toBe(3978);
  expect(config.dbPath).toMatch(/data[/\\]varn\.sqlite$/);
});

test('the embedded default listens on this machine only, and refuses to listen beyond it without a bot identity', () => {
  expect(loadConfig({}).host).toBe('127.0.0.1');
  expect(loadConfig({ HOST: '::1' }).host).toBe('::1');
  for (const host of ['0.0.0.0', '::', '192.168.1.20', 'varn.example.se'])
    expect(() => loadConfig({ HOST: host })).toThrow(
      /HOST: expected 127\.0\.0\.1, ::1 or localhost on the embedded default/,
    );
  const id = '3f1c2b4a-1111-4222-8333-444455556666';
  const tenant = {
    MicrosoftAppId: id,
    MicrosoftAppType: 'SingleTenant',
    MicrosoftAppPassword: 's',
    MicrosoftAppTenantId: id,
  };
  expect(loadConfig(tenant).host).toBe('0.0.0.0');
  expect(loadConfig({ ...tenant, HOST: '10.0.0.4' }).host).toBe('10.0.0.4');
});

test('an empty or non-numeric PORT stops the start (it used to mean a random port)', () => {
  for (const port of ['', ' ', '80.5', '-1', '70000'])
    expect(() => loadConfig({ PORT: port })).toThrow(/PORT: expected a port number from 1 to 65535/);
  expect(loadConfig({ PORT: '0' }).port).toBe(0);
  expect(loadConfig({ PORT: '8080' }).port).toBe(8080);
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
  expect(() => loadConfig({ MicrosoftAppId: id, MicrosoftAppType: 'MultiTenant' })).toThrow(
    /MicrosoftAppType/,
  );
  expect(() =>
    loadConfig({ MicrosoftAppId: id, MicrosoftAppType: 'SingleTenant', MicrosoftAppPassword: 's' }),
  ).toThrow(/MicrosoftAppTenantId/);
  const ok = loadConfig({
    MicrosoftAppId: id,
    MicrosoftAppType: 'SingleTenant',
    MicrosoftAppPassword: 's',
    MicrosoftAppTenantId: id,
  });
  expect(ok.embedded).toBe(false);
});

describe('SharePoint settings', () => {
  const tenant = '3f1c2b4a-1111-4222-8333-444455556666';
  const client = '9a8b7c6d-1111-4222-8333-444455556666';

  test('with no site configured, the store is SQLite', () => {
    expect(loadConfig({}).sharePoint).toBeUndefined();
  });

  test('a site without tenant, client or credentials names each missing setting', () => {
    expect(() => loadConfig({ VARN_SHAREPOINT_SITE: 'contoso.sharepoint.com:/sites/sakerhet' })).toThrow(
      /VARN_GRAPH_TENANT_ID[\s\S]*VARN_GRAPH_CLIENT_ID[\s\S]*VARN_GRAPH_CERTIFICATE_PATH/,
    );
  });

  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (error) {
      return (error as Error).message;
    }
    return '';
  };

  test('a site given as a URL and a flag that is not a boolean are each named', () => {
    const message = problems({
      VARN_SHAREPOINT_SITE: 'https://contoso.sharepoint.com/sites/sakerhet',
      VARN_SHAREPOINT_PROVISION: 'sometimes',
    });
    expect(message).toMatch(/VARN_SHAREPOINT_SITE: expected the site as host:\/path/);
    expect(message).toMatch(/VARN_SHAREPOINT_PROVISION: expected true or false \(got "sometimes"\)/);
  });

  test('a certificate path where there is no file is named', () => {
    const message = problems({
      VARN_SHAREPOINT_SITE:
        'contoso.sharepoint.com,0f2b6f6c-1111-4222-8333-444455556666,1a2b3c4d-1111-4222-8333-444455556666',
      VARN_GRAPH_TENANT_ID: tenant,
      VARN_GRAPH_CLIENT_ID: client,
      VARN_GRAPH_CERTIFICATE_PATH: '/no/such/cert.pem',
    });
    expect(message).toMatch(/VARN_GRAPH_CERTIFICATE_PATH: expected a readable PEM file/);
  });

  test('a complete configuration chooses SharePoint; the bot registration fills in what is not given', () => {
    const config = loadConfig({
      VARN_SHAREPOINT_SITE: 'contoso.sharepoint.com:/sites/sakerhet',
      MicrosoftAppId: client,
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: tenant,
      MicrosoftAppPassword: 'secret',
      VARN_SHAREPOINT_PROVISION: 'true',
    });
    expect(config.sharePoint).toEqual({
      site: 'contoso.sharepoint.com:/sites/sakerhet',
      tenantId: tenant,
      clientId: client,
      certificatePath: undefined,
      clientSecret: 'secret',
      authorityHost: 'https://login.microsoftonline.com',
      graphBaseUrl: 'https://graph.microsoft.com',
      provisionAtStart: true,
    });
  });
});

test("the sender's default service URL and the scheduler's poll interval are settings, checked at start", () => {
  const defaults = loadConfig({});
  expect(defaults.teamsServiceUrl).toBe('https://smba.trafficmanager.net/teams/');
  expect(defaults.schedulerPollMs).toBe(60_000);
  const set = loadConfig({
    VARN_TEAMS_SERVICE_URL: 'https://smba.trafficmanager.net/emea/',
    VARN_SCHEDULER_POLL_SECONDS: '0.5',
  });
  expect(set.teamsServiceUrl).toBe('https://smba.trafficmanager.net/emea/');
  expect(set.schedulerPollMs).toBe(500);
  expect(() => loadConfig({ VARN_TEAMS_SERVICE_URL: 'smba' })).toThrow(
    /VARN_TEAMS_SERVICE_URL: expected the Bot Connector service URL/,
  );
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
