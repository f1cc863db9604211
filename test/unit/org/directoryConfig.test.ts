/** The Graph directory's and the Graph installer's settings: the shape, and the messages for bad values. */
import { loadConfig } from '../../../bot/config';

const tenant = '3f1c2b4a-1111-4222-8333-444455556666';
const client = '9a8b7c6d-1111-4222-8333-444455556666';
const chiefs = 'aaaaaaaa-0000-4000-8000-000000000001';
const heads = 'aaaaaaaa-0000-4000-8000-000000000002';
const graph = {
  VARN_SHAREPOINT_SITE: 'contoso.sharepoint.com:/sites/sakerhet',
  VARN_GRAPH_TENANT_ID: tenant,
  VARN_GRAPH_CLIENT_ID: client,
  VARN_GRAPH_CLIENT_SECRET: 'secret',
};

const problems = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
};

test('without VARN_DIRECTORY the organisation file is the directory, and no installer id is set', () => {
  const config = loadConfig(graph);
  expect(config.directory).toEqual({ source: 'file' });
  expect(config.teamsAppCatalogId).toBeUndefined();
});

test('VARN_DIRECTORY=graph reads role groups, addressable groups and the refresh interval', () => {
  const config = loadConfig({
    ...graph,
    VARN_DIRECTORY: 'graph',
    VARN_DIRECTORY_ROLE_GROUPS: `securityChief=${chiefs}; headOfAdministration=${heads},${chiefs}`,
    VARN_DIRECTORY_GROUPS: `${heads}, ${chiefs}`,
    VARN_DIRECTORY_REFRESH_MINUTES: '15',
    VARN_TEAMS_APP_CATALOG_ID: 'bbbbbbbb-0000-4000-8000-000000000001',
  });
  expect(config.directory).toEqual({
    source: 'graph',
    roleGroups: { securityChief: [chiefs], headOfAdministration: [heads, chiefs] },
    groups: [heads, chiefs],
    refreshMs: 15 * 60_000,
    organisationName: undefined,
  });
  expect(config.teamsAppCatalogId).toBe('bbbbbbbb-0000-4000-8000-000000000001');
});

test('the Graph directory and the installer need the Graph settings', () => {
  expect(problems({ VARN_DIRECTORY: 'graph' })).toMatch(
    /VARN_DIRECTORY: expected file, or graph together with the Graph settings/,
  );
  expect(problems({ VARN_TEAMS_APP_CATALOG_ID: 'abc' })).toMatch(
    /VARN_TEAMS_APP_CATALOG_ID: expected .*VARN_SHAREPOINT_SITE/,
  );
  expect(problems({ ...graph, VARN_DIRECTORY: 'entra' })).toMatch(
    /VARN_DIRECTORY: expected file or graph \(got "entra"\)/,
  );
});

test('role groups: an unknown role or a group id that is not a GUID is named', () => {
  expect(
    problems({ ...graph, VARN_DIRECTORY: 'graph', VARN_DIRECTORY_ROLE_GROUPS: `chief=${chiefs}` }),
  ).toMatch(
    /VARN_DIRECTORY_ROLE_GROUPS: expected role=groupId;… with a role among securityChief, .*\("chief" is not one\)/,
  );
  expect(
    problems({ ...graph, VARN_DIRECTORY: 'graph', VARN_DIRECTORY_ROLE_GROUPS: 'securityChief=Säkerhet' }),
  ).toMatch(/securityChief= followed by Entra group ids \(GUIDs\).*\("Säkerhet" is not a GUID\)/);
  expect(problems({ ...graph, VARN_DIRECTORY: 'graph', VARN_DIRECTORY_REFRESH_MINUTES: '0' })).toMatch(
    /VARN_DIRECTORY_REFRESH_MINUTES: expected at least 1 minute/,
  );
});
