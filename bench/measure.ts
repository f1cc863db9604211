/** Small helpers the benchmarks share: percentiles, rounding, megabytes. */
export const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};
export const round = (n: number): number => Math.round(n * 1000) / 1000;
export const mb = (bytes: number): number => Math.round(bytes / 1024 / 102.4) / 10;
