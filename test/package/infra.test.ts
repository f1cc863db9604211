/**
 * The infrastructure and the Agents Toolkit lifecycle, read as data (no Bicep compiler or network here):
 * the template keeps its promises, the parameters files match it, and every ${{VAR}} is defined somewhere.
 */
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';

const ROOT = path.join(__dirname, '..', '..');
const read = (f: string) => fs.readFileSync(path.join(ROOT, f), 'utf8');
const bicep = read('infra/azure.bicep');
const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Each `resource name 'type@version' = { … }` block's text, found by matching braces. */
function resources(text: string): Map<string, { type: string; body: string }> {
  const out = new Map<string, { type: string; body: string }>();
  const head = /^resource\s+(\w+)\s+'([^'@]+)@[^']+'\s*=\s*\{/gm;
  for (let m = head.exec(text); m; m = head.exec(text)) {
    let depth = 1;
    let i = head.lastIndex;
    while (depth > 0 && i < text.length) {
      if (text[i] === '{') depth++;
      else if (text[i] === '}') depth--;
      i++;
    }
    out.set(m[1] ?? '', { type: m[2] ?? '', body: text.slice(head.lastIndex, i - 1) });
  }
  return out;
}

function params(text: string): { name: string; hasDefault: boolean }[] {
  return [...text.matchAll(/^param\s+(\w+)\s+\w+(\s*=)?/gm)].map((m) => ({
    name: m[1] ?? '',
    hasDefault: !!m[2],
  }));
}

function envKeys(file: string): Set<string> {
  const keys = new Set<string>();
  for (const line of read(file).split('\n')) {
    const set = /^([A-Za-z_]\w*)=/.exec(line);
    if (set?.[1]) keys.add(set[1]);
    const userOnly = /^#\s*([A-Za-z_]\w*):.*\.env\.\w+\.user/.exec(line);
    if (userOnly?.[1]) keys.add(userOnly[1]);
  }
  return keys;
}

describe('infra/azure.bicep, read as data', () => {
  const r = resources(bicep);

  it('runs the service on Linux App Service with Node 24, HTTPS only, TLS 1.2, FTP off, Always On, /healthz', () => {
    const web = r.get('web');
    expect(web?.type).toBe('Microsoft.Web/sites');
    expect(r.get('plan')?.body).toMatch(/reserved:\s*true/);
    for (const promise of [
      /kind:\s*'app,linux'/,
      /linuxFxVersion:\s*'NODE\|24-lts'/,
      /httpsOnly:\s*true/,
      /minTlsVersion:\s*'1\.2'/,
      /ftpsState:\s*'Disabled'/,
      /alwaysOn:\s*true/,
      /healthCheckPath:\s*'\/healthz'/,
    ])
      expect(web?.body).toMatch(promise);
    expect(bicep).toMatch(/param location string = 'swedencentral'/);
  });

  it('makes the user-assigned identity the bot identity and the Key Vault reader', () => {
    expect(r.get('identity')?.type).toBe('Microsoft.ManagedIdentity/userAssignedIdentities');
    const bot = r.get('bot')?.body ?? '';
    expect(bot).toMatch(/msaAppType:\s*'UserAssignedMSI'/);
    expect(bot).toMatch(/msaAppMSIResourceId:\s*identity\.id/);
    expect(bot).toMatch(/msaAppId:\s*identity\.properties\.clientId/);
    expect(bot).toMatch(/endpoint:\s*'https:\/\/\$\{web\.properties\.defaultHostName\}\/api\/messages'/);
    expect(r.get('teams')?.body).toMatch(/name:\s*'MsTeamsChannel'/);
    const web = r.get('web')?.body ?? '';
    expect(web).toMatch(/userAssignedIdentities:\s*\{\s*'\$\{identity\.id\}'/);
    expect(web).toMatch(/keyVaultReferenceIdentity:\s*identity\.id/);
    expect(web).toMatch(/name: 'MicrosoftAppType', value: 'UserAssignedMSI'/);
    expect(r.get('vaultReader')?.body).toMatch(/principalId:\s*identity\.properties\.principalId/);
    expect(r.get('insights')).toBeDefined();
    expect(r.get('logs')).toBeDefined();
    expect([...r.values()].some((x) => x.type === 'Microsoft.Storage/storageAccounts')).toBe(false);
  });

  it('puts no secret in an output and no secret value in an app setting', () => {
    const outputs = [...bicep.matchAll(/^output\s+(\w+)\s+\w+\s*=\s*(.+)$/gm)];
    expect(outputs.length).toBeGreaterThan(0);
    for (const [, name, value] of outputs) {
      expect(name).not.toMatch(/secret|password|key$|connection/i);
      expect(value).not.toMatch(/listKeys|listSecrets|secret|ConnectionString|password/i);
    }
    expect(bicep).not.toMatch(/@secure\(\)[\s\S]*?^output/m);
    expect(bicep).toMatch(/AZURE_OPENAI_API_KEY', value: '@Microsoft\.KeyVault\(/);
  });

  it.each(['dev', 'prod'])('has a parameters file for %s that matches the template', (env) => {
    const file = JSON.parse(read(`infra/azure.parameters.${env}.json`)) as {
      parameters: Record<string, unknown>;
    };
    const declared = params(bicep);
    const given = Object.keys(file.parameters);
    expect(given.filter((g) => !declared.some((d) => d.name === g))).toEqual([]);
    expect(declared.filter((d) => !d.hasDefault && !given.includes(d.name)).map((d) => d.name)).toEqual([]);
  });
});

describe('the Agents Toolkit lifecycle (m365agents.yml, m365agents.local.yml)', () => {
  // The toolkit's schema is published at https://aka.ms/m365-agents-toolkits/v1.9/yaml.schema.json and is not
  // bundled in any npm package reachable here; this checks the structure that schema requires.
  const ACTIONS = new Set([
    'teamsApp/create',
    'teamsApp/update',
    'teamsApp/validateAppPackage',
    'teamsApp/publishAppPackage',
    'arm/deploy',
    'cli/runNpmCommand',
    'azureAppService/zipDeploy',
    'botAadApp/create',
    'botFramework/create',
    'file/createOrUpdateEnvironmentFile',
  ]);

  it.each([
    ['m365agents.yml', ['dev', 'prod']],
    ['m365agents.local.yml', ['local']],
  ])('%s has a valid lifecycle and every placeholder is defined', (file, envs) => {
    const doc = yaml.load(read(file)) as Record<string, unknown>;
    expect(doc.version).toBe('v1.9');
    expect(doc.environmentFolderPath).toBe('./env');
    const produced = new Set<string>();
    for (const stage of ['provision', 'deploy']) {
      const steps = doc[stage] as {
        uses: string;
        with?: object;
        writeToEnvironmentFile?: Record<string, string>;
      }[];
      expect(Array.isArray(steps)).toBe(true);
      for (const step of steps) {
        expect(ACTIONS.has(step.uses)).toBe(true);
        expect(typeof step.with).toBe('object');
        for (const v of Object.values(step.writeToEnvironmentFile ?? {})) produced.add(v);
      }
    }
    for (const out of bicep.matchAll(/^output\s+(\w+)/gm)) produced.add(out[1] ?? '');
    const text = `${read(file)}${read('manifest/manifest.json')}${read('manifest/en-us.json')}${file === 'm365agents.yml' ? read('infra/azure.parameters.dev.json') : ''}`;
    const used = new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''));
    for (const env of envs) {
      const defined = envKeys(`env/.env.${env}`);
      const missing = [...used].filter((v) => !defined.has(v) && !produced.has(v) && v !== 'TEAMSFX_ENV');
      expect({ env, missing }).toEqual({ env, missing: [] });
    }
    for (const step of (doc.provision as {
      with?: { templates?: { path: string; parameters: string }[] };
    }[]) ?? [])
      for (const t of step.with?.templates ?? []) {
        expect(fs.existsSync(path.join(ROOT, t.path))).toBe(true);
        for (const env of envs)
          expect(fs.existsSync(path.join(ROOT, t.parameters.replace(/\$\{\{TEAMSFX_ENV\}\}/, env)))).toBe(
            true,
          );
      }
  });
});
