/**
 * The tab's first load stays small: what the browser fetches before Mitt säkerhetsarbete shows (index.html,
 * main.js, the first view's chunk and every chunk they import statically), gzipped, is under 250 KB.
 * Read from the built files themselves, following their static imports; the chart, the Adaptive Cards
 * renderer and MSAL (nested app authentication) must be dynamic imports, outside the first load.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const root = path.resolve(__dirname, '../..');
const BUDGET_BYTES = 250 * 1024;
const dir = path.join(root, 'dist/tab');

/** The file and every file it imports statically (`import … from"./x.js"`, `import"./x.js"`), not `import("./x.js")`. */
function staticClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const code = fs.readFileSync(file, 'utf8');
  // a dynamic import is `import("./x.js")`: the parenthesis keeps it out of this pattern
  for (const match of code.matchAll(/(?:from|import)\s*"(\.{1,2}\/[^"]+\.js)"/g))
    staticClosure(path.resolve(path.dirname(file), match[1] as string), seen);
  return seen;
}

test('the first view loads under 250 KB gzip, with the chart, the card renderer and MSAL left for later', () => {
  expect(fs.existsSync(path.join(dir, 'main.js'))).toBe(true);
  const mine = fs.readdirSync(path.join(dir, 'chunks')).find((f) => /^mine-.*\.js$/.test(f));
  expect(mine).toBeDefined();
  const files = new Set([
    path.join(dir, 'index.html'),
    ...staticClosure(path.join(dir, 'main.js')),
    ...staticClosure(path.join(dir, 'chunks', mine as string)),
  ]);
  const names = [...files].map((f) => path.basename(f));
  for (const lazy of [/^naa-/, /^chart-/, /^adaptivecards-/, /^review-/, /^campaigns-/])
    expect(names.filter((n) => lazy.test(n))).toEqual([]);
  const gzipBytes = [...files].reduce(
    (n, f) => n + zlib.gzipSync(fs.readFileSync(f), { level: 9 }).length,
    0,
  );
  console.log(
    `tab first load: ${files.size} files, ${gzipBytes} bytes gzip (${(gzipBytes / 1024).toFixed(1)} KB)`,
  );
  expect(gzipBytes).toBeLessThan(BUDGET_BYTES);
  // the build's own figure (dist/tab/budget.json) agrees
  const built = JSON.parse(fs.readFileSync(path.join(dir, 'budget.json'), 'utf8')) as {
    firstViewGzipBytes: number;
  };
  expect(Math.abs(built.firstViewGzipBytes - gzipBytes)).toBeLessThan(1024);
});
