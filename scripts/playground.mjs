// npm run playground -- [employee|manager|head|chief] [--port N] [--bot URL]
// Starts Microsoft 365 Agents Playground (offline, no browser opened) against the local bot as one of the
// sample organisation's people. Several people at once: one instance each, on its own --port.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';

const allowed = ['employee', 'manager', 'head', 'chief'];
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { port: { type: 'string', default: '56150' }, bot: { type: 'string', default: 'http://localhost:3978/api/messages' } },
});
const role = positionals[0] ?? 'employee';
if (!allowed.includes(role) || !/^\d+$/.test(values.port)) {
  console.error(`usage: npm run playground -- ${allowed.join('|')} [--port N] [--bot URL]`);
  process.exit(2);
}
const config = path.resolve(import.meta.dirname, '..', 'content', 'playground', `${role}.yml`);
// the devDependency, never a download at run time
const cli = createRequire(import.meta.url).resolve('@microsoft/m365agentsplayground/cli.js');
const child = spawn(process.execPath, [cli, '-e', values.bot, '-c', 'msteams', '-p', values.port, '--disable-telemetry'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    M365_AGENTS_PLAYGROUND_CONFIG_PATH: config,
    TEAMSAPPTESTER_BROWSER: process.env.TEAMSAPPTESTER_BROWSER ?? 'none',
  },
});
child.on('exit', (code) => process.exit(code ?? 0));
