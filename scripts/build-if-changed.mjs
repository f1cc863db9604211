// Builds (tsc -p .) only when a source file is newer than the last build: `npm run ask` and `npm run eval`
// then start at once when nothing changed. The last build's time is dist/.built (written after a build).
// `--always` builds in any case and writes the time too (npm run build, so that a test run's build counts).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.join(import.meta.dirname, '..');
const stamp = path.join(root, 'dist', '.built');
const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;

function newer(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (newer(full)) return true;
    } else if (fs.statSync(full).mtimeMs > built) return true;
  }
  return false;
}

const sources = ['bot', 'bench', 'test/support', 'tsconfig.json', 'package.json'].map((p) => path.join(root, p));
if (process.argv.includes('--always') || built === 0 || sources.some((p) => fs.existsSync(p) && (fs.statSync(p).isDirectory() ? newer(p) : fs.statSync(p).mtimeMs > built))) {
  const started = Date.now();
  const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', root], {
    stdio: 'inherit',
  });
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
  fs.writeFileSync(stamp, `${new Date(started).toISOString()}\n`);
  fs.utimesSync(stamp, new Date(started), new Date(started));
}
