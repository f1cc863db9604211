/**
 * The Teams app package: the committed manifest builds into a valid package for every committed
 * environment, and a broken manifest or a missing setting stops the build with a message naming it.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { PNG } from 'pngjs';

const ROOT = path.join(__dirname, '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'package.mjs');

function run(args: string[], cwd = ROOT): { ok: boolean; out: string } {
  try {
    return {
      ok: true,
      out: execFileSync(process.execPath, [path.join(cwd, 'scripts', 'package.mjs'), ...args], {
        cwd,
        encoding: 'utf8',
        stdio: 'pipe',
      }),
    };
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string };
    return { ok: false, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

/** A copy of manifest/ and env/ in a temp dir, with one edit, so the build can be tried on it. */
function copyWith(edit: (dir: string) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'varn-pkg-'));
  fs.cpSync(path.join(ROOT, 'manifest'), path.join(dir, 'manifest'), { recursive: true });
  fs.cpSync(path.join(ROOT, 'env'), path.join(dir, 'env'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'scripts'));
  fs.copyFileSync(SCRIPT, path.join(dir, 'scripts', 'package.mjs'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  edit(dir);
  return dir;
}

describe('npm run package', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'varn-pkg-out-'));

  it.each(['dev', 'prod'])(
    'builds a valid %s package with exactly the manifest, icons and language file',
    async (env) => {
      const r = run(['--env', env, '--out', out]);
      expect(r).toMatchObject({ ok: true });
      const zip = await JSZip.loadAsync(fs.readFileSync(path.join(out, `appPackage.${env}.zip`)));
      expect(Object.keys(zip.files).sort()).toEqual([
        'color.png',
        'en-us.json',
        'manifest.json',
        'outline.png',
      ]);
      const manifest = JSON.parse((await zip.file('manifest.json')?.async('string')) ?? '');
      expect(JSON.stringify(manifest)).not.toMatch(/\$\{\{/);
      expect(manifest.localizationInfo.defaultLanguageTag).toBe('sv-se');
      expect(manifest.bots[0].supportsFiles).toBe(false);
      expect(manifest.staticTabs.map((t: { entityId: string }) => t.entityId)).toEqual([
        'mine',
        'workspace',
        'conversations',
      ]);
    },
  );

  it('carries every Swedish string in English too', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'manifest', 'manifest.json'), 'utf8'));
    const en = JSON.parse(fs.readFileSync(path.join(ROOT, 'manifest', 'en-us.json'), 'utf8'));
    const keys: string[] = ['name.short', 'name.full', 'description.short', 'description.full'];
    manifest.bots[0].commandLists.forEach((list: { commands: unknown[] }, l: number) => {
      list.commands.forEach((_c, c) => {
        keys.push(
          `bots[0].commandLists[${l}].commands[${c}].title`,
          `bots[0].commandLists[${l}].commands[${c}].description`,
        );
      });
    });
    manifest.staticTabs.forEach((t: { name?: string }, i: number) => {
      if (t.name) keys.push(`staticTabs[${i}].name`);
    });
    expect(
      Object.keys(en)
        .filter((k) => k !== '$schema')
        .sort(),
    ).toEqual(keys.sort());
  });

  it('refuses a manifest the official schema rejects, naming the field', () => {
    const dir = copyWith((d) => {
      const f = path.join(d, 'manifest', 'manifest.json');
      fs.writeFileSync(
        f,
        fs.readFileSync(f, 'utf8').replace('"accentColor": "#1F4E79"', '"accentColor": "blue"'),
      );
    });
    const r = run(['--env', 'dev', '--out', path.join(dir, 'build')], dir);
    expect(r.ok).toBe(false);
    expect(r.out).toMatch(/manifest\.json does not match the schema: \/accentColor/);
    expect(fs.existsSync(path.join(dir, 'build', 'appPackage.dev.zip'))).toBe(false);
  });

  it('refuses an unresolved placeholder, naming it and the env file', () => {
    const dir = copyWith((d) => {
      const f = path.join(d, 'env', '.env.dev');
      fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace(/^VARN_TAB_CLIENT_ID=.*$/m, ''));
    });
    const r = run(['--env', 'dev', '--out', path.join(dir, 'build')], dir);
    expect(r.ok).toBe(false);
    expect(r.out).toMatch(
      /unresolved \$\{\{VARN_TAB_CLIENT_ID\}\}; define it in .*env\/\.env\.dev or .*env\/\.env\.dev\.user/,
    );
  });

  it('refuses a tab whose host is not in validDomains', () => {
    const dir = copyWith((d) => {
      const f = path.join(d, 'manifest', 'manifest.json');
      fs.writeFileSync(
        f,
        fs
          .readFileSync(f, 'utf8')
          .replace(`https://$${'{{'}BOT_DOMAIN}}/tab/#/mine`, 'https://elsewhere.example/tab/#/mine'),
      );
    });
    const r = run(['--env', 'dev', '--out', path.join(dir, 'build')], dir);
    expect(r.out).toMatch(/tab mine: elsewhere\.example is not in validDomains/);
  });

  it('draws a 192×192 colour icon and a 32×32 outline icon that is only white or fully transparent', () => {
    const color = PNG.sync.read(fs.readFileSync(path.join(ROOT, 'manifest', 'color.png')));
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = PNG.sync.read(fs.readFileSync(path.join(ROOT, 'manifest', 'outline.png')));
    expect([outline.width, outline.height]).toEqual([32, 32]);
    let white = 0;
    for (let i = 0; i < outline.data.length; i += 4) {
      const [r, g, b, a] = outline.data.subarray(i, i + 4);
      const isWhite = r === 255 && g === 255 && b === 255 && a === 255;
      expect(isWhite || a === 0).toBe(true);
      if (isWhite) white++;
    }
    expect(white).toBeGreaterThan(20);
    expect(white).toBeLessThan(32 * 32 - 100);
  });
});
