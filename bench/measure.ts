/** Small helpers the benchmarks share: percentiles, rounding, megabytes, the service's V8 flags. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

export const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};
export const round = (n: number): number => Math.round(n * 1000) / 1000;
export const mb = (bytes: number): number => Math.round(bytes / 1024 / 102.4) / 10;

/** The V8 flags `npm start` gives the service (package.json's start script), e.g. the young generation's cap. */
export function serviceNodeFlags(root: string): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    scripts?: { start?: string };
  };
  return (pkg.scripts?.start ?? '').split(/\s+/).filter((arg) => arg.startsWith('--'));
}

/**
 * A benchmark measures the process as the service runs it: started without the service's flags, it runs
 * itself again with them (same arguments, same output) and returns true; the caller then does nothing more.
 */
export function rerunWithServiceFlags(root: string, script: string): boolean {
  const missing = serviceNodeFlags(root).filter((flag) => !process.execArgv.includes(flag));
  if (missing.length === 0) return false;
  const result = spawnSync(
    process.execPath,
    [...process.execArgv, ...missing, script, ...process.argv.slice(2)],
    {
      stdio: 'inherit',
    },
  );
  process.exitCode = result.status ?? 1;
  return true;
}

/**
 * Every conversation at once, each asking `perConversation` times one after another: each turn's time (ms)
 * and the whole's (s). A turn the bot does not answer with 200 ends the benchmark.
 */
export async function concurrentTurns<U>(
  users: U[],
  perConversation: number,
  say: (user: U) => Promise<{ status: number }>,
): Promise<{ times: number[]; seconds: number }> {
  const times: number[] = [];
  const began = performance.now();
  await Promise.all(
    users.map(async (user) => {
      for (let i = 0; i < perConversation; i++) {
        const t0 = performance.now();
        const response = await say(user);
        if (response.status !== 200) throw new Error(`turn failed: ${response.status}`);
        times.push(performance.now() - t0);
      }
    }),
  );
  return { times, seconds: (performance.now() - began) / 1000 };
}
