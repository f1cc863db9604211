/**
 * npm run bench — prints JSON; measures, never asserts. Each benchmark runs in a process of its
 * own (its memory is its own, and one cannot slow the next), and prints its own JSON; this collects
 * them. `npm run bench -- knowledge http` runs only the named ones.
 *  - knowledge: answer latency p50/p99 over the sample content and 1,000 generated documents, index build, memory
 *  - http: 50 concurrent conversations through the local channel, Värn's question turn next to an echo turn
 *  - service: Värn and a bare echo bot each in a process of their own: start to /healthz, idle and loaded RSS,
 *    question turns per second and p99
 *  - sender, review, campaigns, sharepoint, report: the issues' own benchmarks (see each file's header)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const benchmarks = ['knowledge', 'http', 'service', 'sender', 'review', 'campaigns', 'sharepoint', 'report'];

function run(name: string): unknown {
  const output = execFileSync(process.execPath, [path.join(__dirname, `${name}.js`)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const parsed = JSON.parse(output) as Record<string, unknown>;
  return parsed[name] ?? parsed;
}

const wanted = process.argv.slice(2).map((arg) => arg.replace(/^--/, ''));
const results: Record<string, unknown> = { node: process.version };
for (const name of benchmarks) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  if (!fs.existsSync(path.join(__dirname, `${name}.js`))) continue;
  try {
    results[name] = run(name);
  } catch (error) {
    // one broken benchmark does not hide the others' figures; its own stderr is above
    results[name] = { error: (error as Error).message.split('\n')[0] };
  }
}
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
