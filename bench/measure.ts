/** Small helpers the benchmarks share: percentiles, rounding, megabytes, the service's V8 flags. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

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
