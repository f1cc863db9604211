/**
 * The anchor the service is measured against: a bare botbuilder echo bot on the same stack (restify with its
 * body parser, CloudAdapter, TeamsActivityHandler, a /healthz), started as a process of its own the way
 * `npm start` starts Värn. `PORT=… node dist/bench/echoBot.js`; bench/service.ts starts it.
 */
import {
  CloudAdapter,
  ConfigurationServiceClientCredentialFactory,
  createBotFrameworkAuthenticationFromConfiguration,
  TeamsActivityHandler,
} from 'botbuilder';
import restify from 'restify';

/** The echo bot's parts: the same Bot Framework authentication (none configured), adapter and handler Värn uses. */
export function echoBot() {
  const botAuth = createBotFrameworkAuthenticationFromConfiguration(
    null,
    new ConfigurationServiceClientCredentialFactory({}),
  );
  const adapter = new CloudAdapter(botAuth);
  const bot = new TeamsActivityHandler();
  bot.onMessage(async (context, next) => {
    await context.sendActivity(`echo: ${context.activity.text}`);
    await next();
  });
  return { botAuth, adapter, bot };
}

if (require.main === module) {
  const { adapter, bot } = echoBot();
  const server = restify.createServer({ name: 'echo' });
  server.use(restify.plugins.bodyParser());
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
  server.get('/healthz', async (_req, res) => {
    res.json({ status: 'ok' });
  });
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
