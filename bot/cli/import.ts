/**
 * `npm run import -- <files or folders>`: imports governing documents into the configured store.
 * On SharePoint the files are first uploaded to the library's governing documents, then the
 * library is imported (only what changed since the last import).
 */
import { collections } from '../collections';
import 'dotenv/config';
import { ConfigError, loadConfig } from '../config';
import { KnowledgeService } from '../features/knowledge/service';
import { FileSystemSource, GOVERNING_FOLDER } from '../features/knowledge/source';
import { createLogger } from '../platform/logger';
import { connectSharePoint } from '../platform/store/sharepoint/connect';
import { openSqliteStore } from '../platform/store/sqlite';

async function main(): Promise<void> {
  const paths = process.argv.slice(2);
  if (paths.length === 0) {
    process.stderr.write('usage: npm run import -- <files or folders>\n');
    process.exit(2);
  }
  const config = loadConfig();
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const sharePoint = config.sharePoint
    ? await connectSharePoint(config.sharePoint, { log, localDbPath: config.dbPath, collections })
    : undefined;
  const store = sharePoint?.store ?? openSqliteStore(config.dbPath, collections);
  const knowledge = new KnowledgeService(store, log);
  await knowledge.load();
  const files = new FileSystemSource(paths, `${config.publicUrl}/documents`);
  if (sharePoint) {
    for (const file of await files.list()) {
      await sharePoint.library.put(GOVERNING_FOLDER, file.name, await file.read());
      process.stdout.write(`uploaded   ${file.name}\n`);
    }
  }
  const report = await knowledge.import(sharePoint?.source ?? files);
  sharePoint?.source.commit();
  for (const name of report.imported) process.stdout.write(`imported   ${name}\n`);
  for (const name of report.unchanged) process.stdout.write(`unchanged  ${name}\n`);
  for (const failure of report.failed) process.stdout.write(`NOT imported  ${failure.reason}\n`);
  await store.close();
  process.exitCode = report.failed.length > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || (error as Error).name === 'StartupError';
  process.stderr.write(`${known ? (error as Error).message : ((error as Error).stack ?? String(error))}\n`);
  process.exit(1);
});
