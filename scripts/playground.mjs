// npm run playground -- [employee|manager|chief]
// Starts Microsoft 365 Agents Playground against the local bot as one of the sample organisation's people.
import { spawn } from 'node:child_process';
import path from 'node:path';

const role = process.argv[2] ?? 'employee';
const allowed = ['employee', 'manager', 'chief'];
if (!allowed.includes(role)) {
  console.error(`usage: npm run playground -- ${allowed.join('|')}`);
  process.exit(2);
}
const config = path.resolve(import.meta.dirname, '..', 'content', 'playground', `${role}.yml`);
const child = spawn('npx', ['-y', '@microsoft/m365agentsplayground', '-e', 'http://localhost:3978/api/messages', '-c', 'msteams'], {
  stdio: 'inherit',
  env: { ...process.env, M365_AGENTS_PLAYGROUND_CONFIG_PATH: config, TEAMSAPPTESTER_BROWSER: process.env.TEAMSAPPTESTER_BROWSER ?? 'none' },
});
child.on('exit', (code) => process.exit(code ?? 0));
