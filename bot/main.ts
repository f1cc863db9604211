/**
 * Reads config, builds the app, listens; nothing else. A start that cannot work ends with one message on
 * stderr that names the setting or path to change, and a stable exit code (platform/errors.ts EXIT):
 * 78 a setting, 74 a damaged file, 73 a file that cannot be written, 69 the port, 70 anything else.
 */
import './platform/compileCache';
import 'dotenv/config';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { EXIT, StartupError } from './platform/errors';
import { sqliteProblem } from './platform/store/sqlite';

/** Prints the one message and exits with the failure's code. */
function fail(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`Värn cannot start: ${error.message}\n`);
    process.exit(EXIT.config);
  }
  if (error instanceof StartupError) {
    process.stderr.write(`Värn cannot start: ${error.message}\n`);
    process.exit(error.exitCode);
  }
  // a file of the data folder that could not be written (a report folder, a key): name it
  const errno = error as NodeJS.ErrnoException;
  if (errno?.path && errno.code) {
    const cannotWrite = ['EACCES', 'EROFS', 'EPERM', 'ENOSPC', 'ENOTDIR'].includes(errno.code);
    process.stderr.write(`Värn cannot start: ${errno.path}: ${errno.code} (${errno.message})\n`);
    process.exit(cannotWrite ? EXIT.cannotWrite : EXIT.ioError);
  }
  const store = sqliteProblem(error);
  if (store.kind !== 'other') {
    process.stderr.write(
      `Värn cannot start: VARN_DB_PATH: the SQLite store failed (${store.kind}: ${store.text})\n`,
    );
    process.exit(store.kind === 'damaged' ? EXIT.ioError : EXIT.cannotWrite);
  }
  process.stderr.write(`Värn could not start: ${(error as Error)?.message ?? String(error)}\n`);
  process.exit(EXIT.software);
}

async function main(): Promise<void> {
  let app: Awaited<ReturnType<typeof createApp>>;
  let port: number;
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
    app = await createApp(config);
    port = await app.listen();
  } catch (error) {
    fail(error);
  }
  app.log.info(
    {
      port,
      host: config.host,
      mode: config.embedded ? 'embedded (SQLite, sample organisation, offline)' : 'tenant',
    },
    `Värn listens on http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    // the scheduler and the sender stop first: sends in flight finish and are recorded, deliveries that
    // were waiting for their turn stay queued, so the next start neither repeats nor skips anyone
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('unhandledRejection', (reason) => app.log.error({ err: reason }, 'unhandled rejection'));
}

main().catch(fail);
