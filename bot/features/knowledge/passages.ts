/**
 * Blocks → passages a user can read: whole sentences, cut at sentence and section boundaries,
 * one to three sentences and at most about 80 words. Windows overlap (each sentence starts one),
 * so the best-fitting few sentences can be shown; the ranker shows one passage per document.
 */
import type { Block } from './model';

export const MAX_PASSAGE_WORDS = 80;
const MAX_SENTENCES = 3;
/** A window takes another sentence only while it is still short. */
const GROW_WHILE_UNDER = 30;

/** Abbreviations that end with a full stop inside a Swedish or English sentence. */
const ABBREVIATIONS =
  /(?:\b(?:t\.ex|bl\.a|s\.k|m\.m|m\.fl|o\.s\.v|osv|t\.o\.m|fr\.o\.m|dvs|d\.v\.s|resp|ca|jfr|kap|nr|st|inkl|exkl|enl|ev|p\.g\.a|pga|e\.g|i\.e|etc|vs|no|mr|dr)\.)$/i;

const wordCount = (s: string) => (s.match(/\S+/g) ?? []).length;

/** Splits text into sentences; too-long sentences are cut at clause boundaries. */
export function sentences(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  const re = /[.!?](?=["”’)]?\s+["“(]?[\p{Lu}\d•])/gu;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const candidate = text.slice(start, m.index + 1);
    if (ABBREVIATIONS.test(candidate.trim()) || /\b\d{1,2}\.$/.test(candidate.trim())) continue;
    out.push(candidate.trim());
    start = m.index + 1;
  }
  const rest = text.slice(start).trim();
  if (rest) out.push(rest);
  return out.flatMap(splitLong);
}

function splitLong(sentence: string): string[] {
  if (wordCount(sentence) <= MAX_PASSAGE_WORDS) return [sentence];
  const words = sentence.split(/\s+/);
  const parts: string[] = [];
  let current: string[] = [];
  for (const word of words) {
    current.push(word);
    const atClause = /[,;:]$/.test(word);
    if ((current.length >= 40 && atClause) || current.length >= MAX_PASSAGE_WORDS) {
      parts.push(current.join(' '));
      current = [];
    }
  }
  if (current.length) parts.push(current.join(' '));
  return parts;
}

export interface DraftPassage {
  section: string;
  sectionPath: string[];
  text: string;
}

interface Unit {
  text: string;
  words: number;
}

/** Groups a section's blocks into runs that belong together: a paragraph, or a list with its lead-in. */
function runsOf(blocks: Block[]): Unit[][] {
  const runs: Unit[][] = [];
  let list: Unit[] | undefined;
  for (const block of blocks) {
    if (block.kind === 'item') {
      if (!list) {
        list = [];
        const previous = runs.at(-1);
        const lead = previous?.at(-1);
        // a lead-in ending in ":", or not ending its sentence, travels with the list ("Varje chef ska:",
        // "Styrelsen föreslår fullmäktige besluta" / "1. Att …")
        if (previous && lead && (/:$/.test(lead.text) || !/[.!?]["”’)]?$/.test(lead.text))) {
          previous.pop();
          if (previous.length === 0) runs.pop();
          list.push(lead);
        }
        runs.push(list);
      }
      for (const sentence of sentences(block.text)) list.push({ text: sentence, words: wordCount(sentence) });
    } else {
      list = undefined;
      runs.push(sentences(block.text).map((s) => ({ text: s, words: wordCount(s) })));
    }
  }
  return runs.filter((r) => r.length > 0);
}

export function toPassages(blocks: Block[]): DraftPassage[] {
  const passages: DraftPassage[] = [];
  const path: { level: number; text: string }[] = [];
  let body: Block[] = [];

  const flush = () => {
    const sectionPath = path.map((p) => p.text);
    const section = sectionPath.at(-1) ?? '';
    for (const run of runsOf(body)) {
      for (let i = 0; i < run.length; i++) {
        let words = 0;
        const picked: string[] = [];
        for (let j = i; j < run.length && picked.length < MAX_SENTENCES; j++) {
          const unit = run[j] as Unit;
          if (picked.length > 0 && (words + unit.words > MAX_PASSAGE_WORDS || words >= GROW_WHILE_UNDER))
            break;
          picked.push(unit.text);
          words += unit.words;
          passages.push({ section, sectionPath, text: picked.join(' ') });
        }
      }
    }
    body = [];
  };

  for (const block of blocks) {
    if (block.kind === 'heading') {
      flush();
      while (path.length && (path.at(-1) as { level: number }).level >= block.level) path.pop();
      path.push({ level: block.level, text: block.text });
    } else {
      body.push(block);
    }
  }
  flush();
  return dedupe(passages);
}

function dedupe(passages: DraftPassage[]): DraftPassage[] {
  const seen = new Set<string>();
  return passages.filter((p) => {
    const key = `${p.section}\u0000${p.text}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
