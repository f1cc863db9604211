import path from 'node:path';
import { collections } from '../../../bot/collections';
import { FileDirectory } from '../../../bot/platform/org/fileDirectory';
import { openSqliteStore } from '../../../bot/platform/store/sqlite';
import { ConversationBook } from '../../../bot/platform/teams/conversations';
import { withTeamsLocales } from '../../../bot/platform/teams/locales';

const directory = FileDirectory.fromFile(path.resolve(__dirname, '../../../content/organisation.json'));
const malin = 'f914f698-58ac-45e8-bba5-493d50e811a2'; // sv-SE in the directory

test("one language per person: the directory's until Teams tells us theirs, then Teams' everywhere, and after a restart", async () => {
  const store = openSqliteStore(':memory:', collections);
  const clock = () => new Date('2026-11-22T10:00:00.000Z');
  const book = new ConversationBook(store, clock);
  const people = withTeamsLocales(directory, book);
  expect((await people.person(malin))?.locale).toBe('sv-SE');
  // she writes from a Teams client set to English
  await book.remember(
    malin,
    {
      conversation: { id: 'a:1', conversationType: 'personal', isGroup: false, name: '' },
      serviceUrl: 'http://x/',
    },
    'en-US',
  );
  expect((await people.person(malin))?.locale).toBe('en-US');
  expect((await people.withRole('securityChief')).find((p) => p.id === malin)?.locale).toBe('en-US');
  expect((await people.everyone()).find((p) => p.id === malin)?.locale).toBe('en-US');
  // a new process reads what Teams last said from the store
  const again = withTeamsLocales(directory, new ConversationBook(store, clock));
  expect((await again.person(malin))?.locale).toBe('en-US');
  await store.close();
});
