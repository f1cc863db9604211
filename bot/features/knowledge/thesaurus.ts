/**
 * Swedish synonyms from a real thesaurus (resources/thesaurus-sv.tsv: Viggo Kann's Swedish synonym list
 * as LibreOffice ships it; licence in resources/README.md), looked up by stem so that inflected
 * question words find their entry ("hotad" → hot…, "lönen" → lön). Read once, lazily.
 */
import fs from 'node:fs';
import path from 'node:path';
import { stemSv } from './analysis';

let byStem: Map<string, string[]> | undefined;

function file(): string {
  // beside this file under ts (jest); from dist/, the source tree's copy
  const here = path.join(__dirname, 'resources', 'thesaurus-sv.tsv');
  if (fs.existsSync(here)) return here;
  return path.resolve(__dirname, '../../../../bot/features/knowledge/resources/thesaurus-sv.tsv');
}

function load(): Map<string, string[]> {
  const map = new Map<string, string[]>();
  const text = fs.readFileSync(file(), 'utf8');
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const word = line.slice(0, tab);
    const synonyms = line.slice(tab + 1).split('|');
    for (const key of new Set([word, stemSv(word)])) {
      const known = map.get(key);
      map.set(key, known ? [...new Set([...known, ...synonyms])] : synonyms);
    }
  }
  return map;
}

/** The thesaurus's synonyms of a Swedish word (as written, or by its stem); empty when it has none. */
export function thesaurusSv(word: string): string[] {
  byStem ??= load();
  return byStem.get(word) ?? byStem.get(stemSv(word)) ?? [];
}
