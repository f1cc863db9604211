/** The README's layout section names every folder under bot/, one line each. */
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

function layoutSection(readme: string): string {
  const start = readme.indexOf('\n## Layout');
  if (start < 0) return '';
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The folders under bot/ the section does not name as a list item of its own. */
function missingFolders(readme: string, folders: readonly string[]): string[] {
  const lines = new Set(
    layoutSection(readme)
      .split('\n')
      .map((line) => /^- `(bot\/[^`]+\/)`/.exec(line)?.[1])
      .filter((name): name is string => name !== undefined),
  );
  return folders.filter((folder) => !lines.has(`bot/${folder}/`));
}

const folders = fs
  .readdirSync(path.join(root, 'bot'), { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => path.relative(path.join(root, 'bot'), path.join(entry.parentPath, entry.name)))
  .map((folder) => folder.split(path.sep).join('/'))
  .sort();

test('every folder under bot/ has its line in the README layout section', () => {
  expect(folders.length).toBeGreaterThan(20);
  expect(missingFolders(fs.readFileSync(path.join(root, 'README.md'), 'utf8'), folders)).toEqual([]);
});

test('a folder missing from the section is named', () => {
  const readme =
    '# X\n\n## Layout\n\n- `bot/cli/` — commands.\n\n## Next\n\n- `bot/platform/` — elsewhere.\n';
  expect(missingFolders(readme, ['cli', 'platform', 'features/new'])).toEqual(['platform', 'features/new']);
});
