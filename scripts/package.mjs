// npm run package [-- --env dev|prod|local]: builds build/appPackage.<env>.zip, the Teams app package.
// Substitutes ${{VAR}} from env/.env.<env> and env/.env.<env>.user, refuses any unresolved placeholder,
// validates the manifest and every language file offline against the schemas bundled in
// @microsoft/app-manifest (ajv, draft-04), checks tab hosts against validDomains and the bot id
// against MicrosoftAppId, then zips the manifest, the two icons and the language files at its root.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import JSZip from 'jszip';

const require = createRequire(import.meta.url);
const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCHEMA_DIR = path.join(
  path.dirname(require.resolve('@microsoft/app-manifest/package.json')),
  'build/json-schemas/teams/v1.29',
);
const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export class PackageError extends Error {}

/** KEY=VALUE lines; # comments; no quotes needed. */
export function readEnvFile(file) {
  if (!fs.existsSync(file)) return {};
  const out = {};
  for (const line of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/.exec(line);
    if (m) out[m[1]] = m[2].replace(/^\s+/, '').replace(/^"(.*)"$/, '$1');
  }
  return out;
}

export function loadEnv(envDir, env) {
  const base = path.join(envDir, `.env.${env}`);
  if (!fs.existsSync(base)) throw new PackageError(`no environment file ${base}`);
  const vars = { ...readEnvFile(base), ...readEnvFile(`${base}.user`) };
  // values may name other values (e.g. the local tunnel host)
  for (const key of Object.keys(vars)) vars[key] = vars[key].replace(PLACEHOLDER, (m, n) => vars[n] ?? m);
  return { vars, files: [base, `${base}.user`] };
}

export function substitute(text, vars, fileName, envFiles) {
  const missing = new Set();
  const out = text.replace(PLACEHOLDER, (m, name) => {
    const v = vars[name];
    if (v === undefined || PLACEHOLDER.test(v)) {
      PLACEHOLDER.lastIndex = 0;
      missing.add(name);
      return m;
    }
    return v;
  });
  if (missing.size > 0)
    throw new PackageError(
      `${fileName}: unresolved ${[...missing].map((n) => `\${{${n}}}`).join(', ')}; define ${missing.size > 1 ? 'them' : 'it'} in ${envFiles.join(' or ')}`,
    );
  return out;
}

function validator(schemaFile) {
  // the official schemas hold patterns that are valid without the u flag only (e.g. `\[…\b]`)
  const regExp = (source, flags) => new RegExp(source, flags.replace('u', ''));
  regExp.code = 'new RegExp';
  const ajv = new Ajv({ allErrors: true, strict: false, code: { regExp } });
  addFormats(ajv);
  const schema = JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, schemaFile), 'utf8'));
  delete schema.$schema;
  return ajv.compile(schema);
}

function check(validate, doc, name) {
  if (!validate(doc))
    throw new PackageError(
      `${name} does not match the schema: ${validate.errors.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ')}`,
    );
}

/** Builds the package; returns { zipPath, manifest, files }. Throws PackageError with a plain message. */
export async function buildPackage({ env = 'dev', root = ROOT, envDir, outDir } = {}) {
  const manifestDir = path.join(root, 'manifest');
  const { vars, files: envFiles } = loadEnv(envDir ?? path.join(root, 'env'), env);
  const read = (f) => fs.readFileSync(path.join(manifestDir, f), 'utf8');
  const manifest = JSON.parse(substitute(read('manifest.json'), vars, 'manifest/manifest.json', envFiles));
  check(validator('MicrosoftTeams.schema.json'), manifest, 'manifest.json');

  const langFiles = (manifest.localizationInfo?.additionalLanguages ?? []).map((l) => l.file);
  if (manifest.localizationInfo?.defaultLanguageFile) langFiles.push(manifest.localizationInfo.defaultLanguageFile);
  const validateLang = validator('MicrosoftTeams.Localization.schema.json');
  const languages = {};
  for (const f of langFiles) {
    const doc = JSON.parse(substitute(read(f), vars, `manifest/${f}`, envFiles));
    check(validateLang, doc, f);
    languages[f] = doc;
  }

  const domains = manifest.validDomains ?? [];
  const hostAllowed = (host) =>
    domains.some((d) => d === host || (d.startsWith('*.') && host.endsWith(d.slice(1))));
  for (const tab of manifest.staticTabs ?? []) {
    for (const url of [tab.contentUrl, tab.websiteUrl].filter(Boolean)) {
      const host = new URL(url).host;
      if (!hostAllowed(host)) throw new PackageError(`tab ${tab.entityId}: ${host} is not in validDomains`);
    }
  }
  for (const bot of manifest.bots ?? []) {
    if (bot.botId !== vars.MicrosoftAppId)
      throw new PackageError(`bots[].botId ${bot.botId} is not the bot's app id (MicrosoftAppId ${vars.MicrosoftAppId})`);
  }

  const zip = new JSZip();
  zip.file('manifest.json', JSON.stringify(manifest, null, 2));
  for (const [f, doc] of Object.entries(languages)) zip.file(f, JSON.stringify(doc, null, 2));
  for (const icon of [manifest.icons.color, manifest.icons.outline])
    zip.file(icon, fs.readFileSync(path.join(manifestDir, icon)));
  const out = outDir ?? path.join(root, 'build');
  fs.mkdirSync(out, { recursive: true });
  const zipPath = path.join(out, `appPackage.${env}.zip`);
  fs.writeFileSync(zipPath, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return { zipPath, manifest, files: Object.keys(zip.files).sort() };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const arg = (name) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  try {
    const { zipPath, files } = await buildPackage({ env: arg('env') ?? 'dev', envDir: arg('env-dir'), outDir: arg('out') });
    console.log(`${path.relative(process.cwd(), zipPath)}: ${files.join(', ')}`);
  } catch (error) {
    if (!(error instanceof PackageError)) throw error;
    console.error(`npm run package: ${error.message}`);
    process.exitCode = 1;
  }
}
