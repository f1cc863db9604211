/**
 * Swedish synonyms from a real thesaurus (resources/thesaurus-sv.tsv: Viggo Kann's Swedish synonym list
 * as LibreOffice ships it; licence in resources/README.md), looked up by stem so that inflected
 * question words find their entry ("hotad" → hot…, "lönen" → lön). Read once, lazily.
 */
import fs from 'node:fs';
import path from 'node:path';
import { stemSv, stemSvUncached } from './analysis';

/**
 * The file's text, and where each head word's line starts, keyed by the word and by its stem; a stem
 * shared by several head words keeps each line. The synonyms are split out only when looked up: the
 * thesaurus's 15,000 lines as strings and arrays would hold about ten times the file's size.
 */
let loaded: { text: string; lineAt: Map<string, number | number[]> } | undefined;

function file(name: string): string {
  // beside this file under ts (jest); from dist/, the source tree's copy
  const here = path.join(__dirname, 'resources', name);
  if (fs.existsSync(here)) return here;
  return path.resolve(__dirname, '../../../../bot/features/knowledge/resources', name);
}

function load(): NonNullable<typeof loaded> {
  const text = fs.readFileSync(file('thesaurus-sv.tsv'), 'utf8');
  const lineAt = new Map<string, number | number[]>();
  const add = (key: string, at: number) => {
    const known = lineAt.get(key);
    if (known === undefined) lineAt.set(key, at);
    else if (typeof known === 'number') {
      if (known !== at) lineAt.set(key, [known, at]);
    } else if (!known.includes(at)) known.push(at);
  };
  for (let at = 0; at < text.length; ) {
    const end = text.indexOf('\n', at);
    const next = end < 0 ? text.length : end + 1;
    const tab = text.indexOf('\t', at);
    if (tab > at && tab < next) {
      const word = text.slice(at, tab);
      add(word, at);
      add(stemSvUncached(word), at);
    }
    at = next;
  }
  return { text, lineAt };
}

function synonymsAt(text: string, at: number): string[] {
  const end = text.indexOf('\n', at);
  return text.slice(text.indexOf('\t', at) + 1, end < 0 ? text.length : end).split('|');
}

/** The thesaurus's synonyms of a Swedish word (as written, or by its stem); empty when it has none. */
export function thesaurusSv(word: string): string[] {
  loaded ??= load();
  const { text, lineAt } = loaded;
  const at = lineAt.get(word) ?? lineAt.get(stemSv(word));
  if (at === undefined) return [];
  if (typeof at === 'number') return synonymsAt(text, at);
  return [...new Set(at.flatMap((line) => synonymsAt(text, line)))];
}

let english: Map<string, string[]> | undefined;

/**
 * WordNet's synonyms of an English word (its two most frequent senses per part of speech) that the English–Swedish
 * list translates (resources/synonyms-en.tsv: "notify" → advise); empty when it has none. Read once, lazily.
 */
export function thesaurusEn(word: string): string[] {
  english ??= new Map(
    fs
      .readFileSync(file('synonyms-en.tsv'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [head, synonyms] = line.split('\t') as [string, string];
        return [head, synonyms.split('|')];
      }),
  );
  return english.get(word) ?? [];
}
