// Derives bot/features/knowledge/resources/synonyms-en.tsv from WordNet 3.0 (Debian `wordnet-base`:
// /usr/share/wordnet): for each English word, its synonyms in the first SENSES senses of each part of speech
// (WordNet orders a word's senses by how often they occur) that the project's English–Swedish list (`enToSv`,
// vocabulary.ts) translates. `word<TAB>synonym|synonym|…`; licence in resources/README.md.
//   apt-get download wordnet-base && dpkg-deb -x wordnet-base_*.deb wn && npm run build &&
//   node scripts/synonyms-en.mjs wn/usr/share/wordnet
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const SENSES = 2;
const dir = process.argv[2] ?? '/usr/share/wordnet';
const require = createRequire(import.meta.url);
const { enToSv } = require('../dist/bot/features/knowledge/vocabulary.js');
const target = path.join(import.meta.dirname, '../bot/features/knowledge/resources/synonyms-en.tsv');
const known = new Set(Object.keys(enToSv));
const out = new Map();
for (const pos of ['noun', 'verb', 'adj', 'adv']) {
  // synset offset → its words
  const synsets = new Map();
  for (const line of fs.readFileSync(path.join(dir, `data.${pos}`), 'latin1').split('\n')) {
    if (!/^\d/.test(line)) continue;
    const fields = line.split(' ');
    const count = Number.parseInt(fields[3], 16);
    const words = [];
    for (let i = 0; i < count; i++) words.push(fields[4 + 2 * i].replace(/\(.*\)$/, '').replace(/_/g, ' ').toLowerCase());
    synsets.set(fields[0], words);
  }
  for (const line of fs.readFileSync(path.join(dir, `index.${pos}`), 'latin1').split('\n')) {
    if (!/^[a-z]/.test(line)) continue;
    const fields = line.split(' ').filter(Boolean);
    const word = fields[0].replace(/_/g, ' ');
    if (word.includes(' ') || known.has(word)) continue;
    const senses = Number(fields[2]);
    // the synsets' offsets end the line, most frequent sense first
    const offsets = fields.slice(fields.length - senses).slice(0, SENSES);
    for (const offset of offsets) {
      for (const synonym of synsets.get(offset) ?? []) {
        if (synonym === word || !known.has(synonym)) continue;
        const list = out.get(word) ?? [];
        if (!list.includes(synonym)) list.push(synonym);
        out.set(word, list);
      }
    }
  }
}
const lines = [...out].sort(([a], [b]) => (a < b ? -1 : 1)).map(([w, s]) => `${w}\t${s.join('|')}`);
fs.writeFileSync(target, `${lines.join('\n')}\n`);
console.log(`${lines.length} words → ${target}`);
