/** Every chat command the manifest lists, in Swedish and English, is one the bot answers. */
import fs from 'node:fs';
import path from 'node:path';
import { campaignBot } from '../../bot/features/campaigns/routes';
import { questionCommands } from '../../bot/features/questions/routes';
import { reportCommands } from '../../bot/features/reports/routes';
import { reviewCommands } from '../../bot/features/review/routes';
import { helpCommand } from '../../bot/platform/teams/help';

const ROOT = path.join(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'manifest', 'manifest.json'), 'utf8'));
const en = JSON.parse(fs.readFileSync(path.join(ROOT, 'manifest', 'en-us.json'), 'utf8')) as Record<
  string,
  string
>;

// only the routes' matchers are used here; their services are never called
const unused = {} as never;
const routes = [
  helpCommand(async () => new Set()),
  ...questionCommands(unused),
  ...reportCommands(unused),
  ...reviewCommands(unused),
  ...campaignBot(unused).commands,
];

test('every listed command title, Swedish and English, is answered by a command route', () => {
  const titles: string[] = [];
  manifest.bots[0].commandLists.forEach((list: { commands: { title: string }[] }, l: number) => {
    list.commands.forEach((c, i) => {
      titles.push(
        c.title,
        en[`bots[0].commandLists[${l}].commands[${i}].title`] ?? `(no English title for ${c.title})`,
      );
    });
  });
  expect(titles.filter((title) => !routes.some((r) => r.matches(title)))).toEqual([]);
});
