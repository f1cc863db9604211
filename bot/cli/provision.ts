/**
 * `npm run provision [-- --dry-run]`: creates or repairs Värn's lists and library columns on the
 * configured SharePoint site, and reports what it changed and what needs a person. Running it
 * again changes nothing. Exit codes: 0 done, 1 something needs attention, 78 configuration.
 */
import 'dotenv/config';
import { collections } from '../collections';
import { ConfigError, loadConfig } from '../config';
import { CredentialError, createGraph } from '../platform/graph';
import { createLogger } from '../platform/logger';
import { provision, resolveSite } from '../platform/store/sharepoint/provisioning/provision';

async function main(): Promise<void> {
  const dryRun = process.argv.includes('--dry-run');
  const config = loadConfig();
  if (!config.sharePoint) {
    process.stderr.write(
      'VARN_SHAREPOINT_SITE is not set: there is no SharePoint site to provision (SQLite needs none).\n',
    );
    process.exit(78);
  }
  const graph = createGraph(config.sharePoint, { log: createLogger(process.env.LOG_LEVEL ?? 'warn') });
  const siteId = await resolveSite(graph, config.sharePoint.site);
  const report = await provision(graph, siteId, { collections, dryRun });
  const verb = dryRun ? 'would change' : 'changed';
  process.stdout.write(`site ${siteId}\n`);
  if (report.applied.length === 0) process.stdout.write('up to date: nothing to change\n');
  for (const line of report.applied) process.stdout.write(`${verb}  ${line}\n`);
  for (const line of report.findings) process.stdout.write(`ATTENTION  ${line}\n`);
  process.stdout.write(`${report.requests} Graph requests\n`);
  process.exitCode = report.blocked ? 1 : 0;
}

main().catch((error: unknown) => {
  const known =
    error instanceof ConfigError || error instanceof CredentialError || (error as Error).name === 'SiteError';
  process.stderr.write(`${known ? (error as Error).message : ((error as Error).stack ?? String(error))}\n`);
  process.exit(known ? 78 : 1);
});
