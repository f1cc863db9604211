// Converts LibreOffice's Swedish thesaurus (Debian `mythes-sv`: /usr/share/mythes/th_sv_SE_v2.dat, ISO-8859-1)
// into bot/features/knowledge/resources/thesaurus-sv.tsv: `word<TAB>synonym|synonym|…`, single-word
// lower-case head words only, a word's meaning groups merged. See resources/README.md for its licence.
//   apt-get install mythes-sv && node scripts/thesaurus-sv.mjs [/usr/share/mythes/th_sv_SE_v2.dat]
import fs from 'node:fs';
import path from 'node:path';

const source = process.argv[2] ?? '/usr/share/mythes/th_sv_SE_v2.dat';
const target = path.join(import.meta.dirname, '../bot/features/knowledge/resources/thesaurus-sv.tsv');
const lines = new TextDecoder('latin1').decode(fs.readFileSync(source)).split('\n').slice(1);
const out = [];
for (let i = 0; i < lines.length; ) {
  const line = lines[i];
  if (!line || line.startsWith('|')) {
    i++;
    continue;
  }
  const bar = line.lastIndexOf('|');
  const head = line.slice(0, bar).trim();
  const meanings = Number(line.slice(bar + 1));
  const synonyms = [];
  for (let k = 0; k < meanings; k++) synonyms.push(...(lines[i + 1 + k] ?? '').split('|').slice(1).filter(Boolean));
  i += 1 + meanings;
  if (head.includes(' ') || head.length < 3 || head !== head.toLowerCase()) continue;
  const unique = [...new Set(synonyms)].filter((s) => s !== head);
  if (unique.length > 0) out.push(`${head}\t${unique.join('|')}`);
}
fs.writeFileSync(target, `${out.join('\n')}\n`);
console.log(`${out.length} words → ${target}`);
