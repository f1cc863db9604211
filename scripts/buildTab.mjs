/**
 * Builds the Teams tab (tab/src, React + Fluent UI) into dist/tab, which the service serves at /tab/.
 * ES modules with code splitting: the first view loads main.js and its shared chunks; the other views,
 * the chart and the nested-app-authentication code (MSAL) load when first needed. Writes
 * dist/tab/budget.json: the first view's files and their gzip size (checked by test/tab/budget.test.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist/tab');
fs.rmSync(out, { recursive: true, force: true });

const result = await esbuild.build({
  entryPoints: { main: path.join(root, 'tab/src/main.tsx') },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  minify: true,
  target: ['chrome120', 'edge120', 'safari16'],
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  chunkNames: 'chunks/[name]-[hash]',
  metafile: true,
  logLevel: 'warning',
  legalComments: 'linked',
});
fs.copyFileSync(path.join(root, 'tab/index.html'), path.join(out, 'index.html'));

// the first view: main.js, Mitt säkerhetsarbete (where both static tabs can land first) and the chunks they
// import statically; the other views, the chart and MSAL are dynamic imports, loaded later
const outputs = result.metafile.outputs;
const first = new Set();
const visit = (file) => {
  if (first.has(file)) return;
  first.add(file);
  for (const imported of outputs[file]?.imports ?? []) if (imported.kind === 'import-statement') visit(imported.path);
};
visit(path.relative(root, path.join(out, 'main.js')).split(path.sep).join('/'));
const firstView = Object.entries(outputs).find(([, o]) => o.entryPoint === 'tab/src/views/mine.tsx')?.[0];
if (!firstView) throw new Error('the first view (tab/src/views/mine.tsx) is not a chunk of its own');
visit(firstView);
const gzip = (file) => zlib.gzipSync(fs.readFileSync(path.join(root, file)), { level: 9 }).length;
const files = [...first, 'dist/tab/index.html'].map((file) => ({ file, gzipBytes: gzip(file) }));
const lazy = Object.keys(outputs)
  .filter((file) => file.endsWith('.js') && !first.has(file))
  .map((file) => ({ file, gzipBytes: gzip(file) }));
const budget = {
  firstViewGzipBytes: files.reduce((n, f) => n + f.gzipBytes, 0),
  firstView: files,
  lazy,
};
fs.writeFileSync(path.join(out, 'budget.json'), `${JSON.stringify(budget, null, 2)}\n`);
