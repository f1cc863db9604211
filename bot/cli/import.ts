/** `npm run import -- <files or folders>`: imports governing documents into the configured store. */
import 'dotenv/config';
import { ConfigError, loadConfig } from '../config';
import { KnowledgeService } from '../knowledge/service';
import { FileSystemSource } from '../knowledge/source';
import { createLogger } from '../logger';
import { openSqliteStore } from '../store/sqlite';

async function main(): Promise<void> {
  const paths = process.argv.slice(2);
  if (paths.length === 0) {
    process.stderr.write('usage: npm run import -- <files or folders>\n');
    process.exit(2);
  }
  const config = loadConfig();
  const store = openSqliteStore(config.dbPath);
  const knowledge = new KnowledgeService(store, createLogger(process.env.LOG_LEVEL ?? 'warn'));
  await knowledge.load();
  const report = await knowledge.import(new FileSystemSource(paths, `${config.publicUrl}/documents`));
  for (const name of report.imported) process.stdout.write(`imported   ${name}\n`);
  for (const name of report.unchanged) process.stdout.write(`unchanged  ${name}\n`);
  for (const failure of report.failed) process.stdout.write(`NOT imported  ${failure.reason}\n`);
  await store.close();
  process.exitCode = report.failed.length > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof ConfigError ? error.message : ((error as Error).stack ?? String(error))}\n`,
  );
  process.exit(1);
});
