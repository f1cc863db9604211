/** Reads config, builds the app, listens; nothing else. */
import 'dotenv/config';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  let app: Awaited<ReturnType<typeof createApp>>;
  try {
    app = await createApp(config);
  } catch (error) {
    // the tenant or site is set up wrong: say what to change and stop (78: configuration), no stack, no restart loop
    if ((error as Error).name === 'StartupError' || error instanceof ConfigError) {
      process.stderr.write(`Värn cannot start: ${(error as Error).message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const port = await app.listen();
  app.log.info(
    { port, mode: config.embedded ? 'embedded (SQLite, sample organisation, offline)' : 'tenant' },
    `Värn listens on http://localhost:${port}`,
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

main().catch((error: unknown) => {
  process.stderr.write(`Värn could not start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
