/**
 * Text analysis for Swedish as employees write it, and English: tokens, stop words, snowball
 * stems, and compound words split with the Swedish hunspell dictionary (dictionary-sv) — its
 * compound flags say which forms may begin (X, and the linking -s forms of flag v) or end (Y)
 * a compound. Plain functions; the dictionary is read once, lazily.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { newStemmer } from 'snowball-stemmers';
import { eng as englishStopwords, swe as swedishStopwords } from 'stopword';
import { PackedWordSet } from './wordset';

const svStemmer = newStemmer('swedish');
const enStemmer = newStemmer('english');

/** Words that carry meaning in governing documents although general stop lists drop them. */
const keep = new Set(['beslut', 'beslutat', 'beslutit', 'mål', 'rätt', 'egen', 'egna', 'ansvar']);

/** Question words and chat filler: they say what is asked, not what about. */
// biome-ignore format: a word list reads better packed
const svQuestionWords = [
  'vad', 'vem', 'vems', 'vilka', 'vilken', 'vilket', 'hur', 'när', 'var', 'varför', 'finns', 'gäller', 'står', 'säger',
  'någon', 'något', 'några', 'nåt', 'nån', 'typ', 'hej', 'tack', 'snälla', 'undrar', 'undra', 'veta', 'vill', 'fråga',
  'ofta', 'menas', 'betyder', 'innebär', 'egentligen', 'gör', 'göra', 'ska', 'skall', 'måste', 'behöver', 'man', 'jag',
  'mig', 'min', 'mitt', 'mina', 'vi', 'oss', 'vår', 'vårt', 'våra', 'sig', 'hos', 'om', 'enligt', 'policyn',
  'dokumentet',
  // everyday verbs and fillers of chat questions
  'se', 'ser', 'såg', 'sett', 'tas', 'ta', 'tar', 'blir', 'bli', 'händer', 'hända', 'hänt', 'funkar', 'funka',
  'fungerar', 'jobba', 'jobbar', 'tycker', 'tänker', 'kolla', 'kollar', 'hjälpa', 'hjälper', 'klara', 'klarar',
  'räknas', 'räkna', 'lita', 'litar', 'gälla', 'sker', 'ske', 'heter', 'kallas', 'ingår', 'ingå', 'eg', 'ens', 'ok',
  'okej', 'liksom', 'va', 'vad', 'nu', 'idag', 'ny', 'nya', 'nytt', 'nye', 'ju', 'väl', 'mm', 'osv', 'exempel', 'ex',
  'typ', 'sån', 'sånt', 'sådan', 'sådant',
];
const enQuestionWords = [
  'what',
  'who',
  'whom',
  'whose',
  'which',
  'how',
  'when',
  'where',
  'why',
  'does',
  'do',
  'is',
  'are',
  'say',
  'says',
  'tell',
  'please',
  'hi',
  'hello',
  'thanks',
  'know',
  'want',
  'often',
  'mean',
  'means',
  'need',
  'needs',
  'should',
  'must',
  'shall',
  'can',
  'i',
  'me',
  'my',
  'we',
  'us',
  'our',
  'anyone',
  'someone',
  'there',
  'according',
  "policy's",
  'an',
  'the',
  'a',
  'to',
  'of',
  'in',
  'on',
  'for',
  'about',
  'regarding',
  'any',
  'if',
  'do',
  'doing',
  'done',
  'get',
  'got',
  'have',
  'whos',
  'whats',
  'hows',
  'gets',
  'happens',
  'happen',
  'kind',
  'sort',
  'type',
  'exactly',
  'actually',
  'really',
  'anything',
  'something',
  'things',
  'thing',
  'stuff',
  'like',
  'would',
  'could',
  'may',
  'might',
  'supposed',
  'expected',
  'allowed',
  'against',
  'during',
  'every',
  'each',
  'go',
  'goes',
  'going',
  'see',
  'seen',
  'say',
  'said',
  'stated',
  'state',
  'states',
  'written',
  'mention',
  'mentioned',
];

const svStop = new Set([...swedishStopwords, ...svQuestionWords].filter((w) => !keep.has(w)));
const enStop = new Set([...englishStopwords, ...enQuestionWords]);

export type Language = 'sv' | 'en';

/** Lower-cased word tokens: letters and digits, keeping case numbers (2018/00929) and IT-style hyphens. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  const lower = text.toLowerCase().replace(/['’](?:s|t|re|ll|ve|m|d)\b/g, '');
  for (const match of lower.matchAll(/\d+(?:[/.:-]\d+)+|[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu)) {
    const token = match[0].replace(/-+$/, '');
    if (token.length > 1 || /\d/.test(token)) out.push(token);
  }
  return out;
}

/**
 * Swedish particle verbs whose meaning is the noun policy text uses ("följs upp" → uppföljning, "se över" →
 * översyn): the particle may stand a few words after the verb ("följs säkerhetsarbetet upp").
 */
const PARTICLE_VERBS: { verb: RegExp; particle: string; term: string }[] = [
  { verb: /^följ(?:a|er|s|as|de|des|t|ts)?$/, particle: 'upp', term: 'uppföljning' },
  { verb: /^(?:se|ser|ses|sågs|sett|setts|såg)$/, particle: 'över', term: 'översyn' },
  { verb: /^(?:gå|går|gås|gick|gått)$/, particle: 'igenom', term: 'genomgång' },
  { verb: /^(?:lita|litar|litade|litat)$/, particle: 'på', term: 'förtroende' },
  { verb: /^(?:ta|tar|tas|tog|togs|tagit)$/, particle: 'hand', term: 'hantering' },
  { verb: /^(?:sätt|sätta|sätter|satte|sätts)$/, particle: 'igång', term: 'aktivera' },
  { verb: /^(?:tar|ta|tas|tog|togs)$/, particle: 'fram', term: 'framtagning' },
  { verb: /^(?:hör|höra|hörs)$/, particle: 'av', term: 'kontakta' },
  { verb: /^(?:känna|känner|känt)$/, particle: 'till', term: 'kännedom' },
  { verb: /^(?:lägga|lägger|läggs|lade)$/, particle: 'ner', term: 'avveckla' },
];

/** Particle verbs in a token list: where the verb stands, where its particle stands, and the noun it means. */
export function particleVerbs(tokens: string[]): { verb: number; particle: number; term: string }[] {
  const out: { verb: number; particle: number; term: string }[] = [];
  tokens.forEach((token, i) => {
    for (const rule of PARTICLE_VERBS) {
      if (!rule.verb.test(token)) continue;
      for (let j = i + 1; j < Math.min(tokens.length, i + 4); j++) {
        if (tokens[j] === rule.particle) {
          out.push({ verb: i, particle: j, term: rule.term });
          return;
        }
        if (/[.!?]/.test(tokens[j] as string)) break;
      }
    }
  });
  return out;
}

export const isStopword = (word: string, language: Language): boolean =>
  language === 'sv' ? svStop.has(word) : enStop.has(word) || svStop.has(word);

// biome-ignore format: a word list reads better packed
// biome-ignore format: a word list reads better packed
const englishMarkers = new Set([
  'in', 'a', 'an', 'during', 'it', 'be', 'has', 'have', 'at', 'on', 'by', 'from', 'whos', 'whats', 'does', 'the',
  'what', 'who', 'how', 'is', 'are', 'does', 'do', 'should', 'i', 'my', 'we', 'our', 'for', 'of', 'to', 'when',
  'which', 'responsible', 'must', 'about', 'can', 'policy', 'security', 'report', 'often', 'anyone', 'there', 'with',
  'where', 'if', 'you', 'say', 'says',
]);
// biome-ignore format: a word list reads better packed
// biome-ignore format: a word list reads better packed
const swedishMarkers = new Set([
  'och', 'att', 'är', 'vad', 'vem', 'hur', 'ska', 'jag', 'för', 'om', 'det', 'en', 'ett', 'på', 'av', 'som', 'vilka',
  'när', 'måste', 'min', 'mitt', 'vi', 'har', 'säger', 'gäller', 'till', 'med', 'inte', 'finns', 'ofta',
]);

/** Guesses the language of a question from its function words; Swedish when unsure. */
export function detectLanguage(text: string): Language {
  let en = 0;
  let sv = 0;
  for (const token of tokenize(text)) {
    if (englishMarkers.has(token)) en++;
    if (swedishMarkers.has(token)) sv++;
    if (/[åäö]/.test(token)) sv += 0.5;
  }
  return en > sv ? 'en' : 'sv';
}

const stemCache = new Map<string, string>();

/** Whether a vowel-final form is, or ends in, a dictionary word (policy, säkerhetspolicy, strategi). */
function endsWithWord(form: string): boolean {
  const words = dictionaryWords();
  for (let i = 0; i <= form.length - 4; i++) if (words.has(form.slice(i))) return true;
  return false;
}

/**
 * Swedish stem: snowball, then the definite forms that snowball's Swedish algorithm leaves — -et/-ets
 * (skyddet, totalförsvaret) and -n after a word the dictionary knows (policyn, strategin, datorn) —
 * stemmed again, so that every form of a word meets ("totalförsvaret" and "totalförsvar").
 */
export function stemSv(word: string): string {
  if (/\d/.test(word)) return word;
  const cached = stemCache.get(word);
  if (cached !== undefined) return cached;
  const stem = stemUncached(word);
  if (stemCache.size > 100_000) stemCache.clear();
  stemCache.set(word, stem);
  return stem;
}

/** The stem, without keeping it in the cache (for a resource's many words, each stemmed once). */
export const stemSvUncached = (word: string): string => (/\d/.test(word) ? word : stemUncached(word));

function stemUncached(word: string): string {
  // snowball is not idempotent (ansvarar → ansvar → ansv, analysen → analys → analy): stem to a fixed point
  let stem = svStemmer.stem(word);
  for (let pass = 0; pass < 2; pass++) {
    const again = svStemmer.stem(stem);
    if (again === stem || again.length < 3) break;
    stem = again;
  }
  if (stem.length > 5 && /[^aeiouyåäö]ets?$/.test(stem)) {
    stem = svStemmer.stem(stem.replace(/ets?$/, ''));
  } else if (stem.length >= 5 && /[aeiouyåäö]n$/.test(stem) && endsWithWord(stem.slice(0, -1))) {
    stem = svStemmer.stem(stem.slice(0, -1));
  }
  // a -ning noun meets its verb (omfattning/omfattas, uppföljning/följa upp, klassning/klassas)
  if (/ning$/.test(stem) && stem.length >= 9 && !/\d/.test(stem)) stem = stemSv(`${stem.slice(0, -4)}a`);
  return stem;
}

export const stemEn = (word: string): string => (/\d/.test(word) ? word : enStemmer.stem(word));

// ---------------------------------------------------------------- compounds

interface CompoundLexicon {
  /** Every lower-case word form the dictionary lists (without affixes). */
  words: PackedWordSet;
  /** Forms that may begin or sit inside a compound (informations, säkerhets, kris, person). */
  heads: PackedWordSet;
  /** Stems of words that may end a compound. */
  tails: PackedWordSet;
}

let lexicon: CompoundLexicon | undefined;

function dictionaryDir(): string {
  // dictionary-sv is an ES module that reads its own files; the files are what we need.
  return path.dirname(require.resolve('dictionary-sv'));
}

/**
 * Reads index.dic once, line by line (nothing of the file is kept but the three word sets): every
 * lower-case base form of 4+ letters, the forms that can begin a compound, and the stems of the words
 * that can end one.
 */
export function compoundLexicon(): CompoundLexicon {
  if (lexicon) return lexicon;
  const cached = readLexiconCache();
  if (cached) {
    wordSet = cached.words;
    lexicon = cached;
    return lexicon;
  }
  lexicon = buildLexicon();
  writeLexiconCache(lexicon);
  return lexicon;
}

/**
 * The cache file of the derived word lists: built by the first process that needs them, read by the
 * others (stemming the dictionary's words costs about half a second of CPU and 50 MB at its peak). Its name
 * holds a hash of the dictionary and of this module's code, so a new dictionary or a new stemmer builds anew.
 */
function lexiconCacheFile(): string {
  const dic = path.join(dictionaryDir(), 'index.dic');
  const stat = fs.statSync(dic);
  const key = createHash('sha256')
    .update(`${stat.size}:${stat.mtimeMs}:`)
    .update(fs.readFileSync(__filename))
    .digest('hex')
    .slice(0, 16);
  const dir = process.env.VARN_CACHE_DIR ?? path.join(dictionaryDir(), '..', '.cache', 'varn');
  return path.join(dir, `lexicon-${key}.json`);
}

function readLexiconCache(): CompoundLexicon | undefined {
  try {
    const raw = JSON.parse(fs.readFileSync(lexiconCacheFile(), 'utf8'));
    return {
      words: PackedWordSet.unpack(raw.words),
      heads: PackedWordSet.unpack(raw.heads),
      tails: PackedWordSet.unpack(raw.tails),
    };
  } catch {
    // no cache yet (or an unreadable one): build it
    return undefined;
  }
}

function writeLexiconCache(built: CompoundLexicon): void {
  try {
    const file = lexiconCacheFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(
      temporary,
      JSON.stringify({ words: built.words.pack(), heads: built.heads.pack(), tails: built.tails.pack() }),
    );
    fs.renameSync(temporary, file);
  } catch {
    // a read-only installation: every process builds the lists itself, as before
  }
}

function buildLexicon(): CompoundLexicon {
  const words: string[] = [];
  const heads: string[] = [];
  const tails: string[] = [];
  const tailWords: string[] = [];
  const text = fs.readFileSync(path.join(dictionaryDir(), 'index.dic'), 'utf8');
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const slash = text.indexOf('/', start);
    const hasFlags = slash >= 0 && slash < end;
    const word = text.slice(start, hasFlags ? slash : end).trim();
    const flags = hasFlags ? text.slice(slash + 1, end) : '';
    start = end + 1;
    if (word !== word.toLowerCase() || /\d/.test(word)) continue;
    if (word.length >= 4) words.push(word);
    if (!hasFlags || word.length < 3 || word.includes('-')) continue;
    if (flags.includes('X') || flags.includes('U') || flags.includes('s')) heads.push(word);
    if (flags.includes('v') || flags.includes('f'))
      heads.push(word.endsWith('a') ? `${word.slice(0, -1)}s` : `${word}s`);
    if (flags.includes('Y')) tailWords.push(word);
  }
  wordSet = new PackedWordSet(words); // stemming the tails asks which words the dictionary knows
  for (const word of tailWords) tails.push(stemUncached(word));
  return { heads: new PackedWordSet(heads), tails: new PackedWordSet(tails), words: wordSet };
}

let wordSet: PackedWordSet | undefined;

/** Every lower-case base form (4+ letters) the Swedish dictionary lists. */
export const dictionaryWords = (): PackedWordSet => wordSet ?? compoundLexicon().words;

const compoundCache = new Map<string, string[] | null>();
const surfaceCache = new Map<string, string[] | null>();

/** A compound's parts as written (with their linking -s), or null. */
function splitSurface(word: string): string[] | null {
  if (!surfaceCache.has(word)) splitCompound(word);
  const parts = surfaceCache.get(word) ?? null;
  return parts
    ? parts.map((p, i) => (i < parts.length - 1 && p.endsWith('s') && p.length > 4 ? p.slice(0, -1) : p))
    : null;
}

/**
 * Splits a Swedish compound into its parts' stems ("informationssäkerheten" → information, säkerhet),
 * preferring the fewest, longest parts. Returns null for a word that is not a compound.
 */
export function splitCompound(word: string): string[] | null {
  if (word.length < 7 || /[^a-zåäöéü]/.test(word)) return null;
  const cached = compoundCache.get(word);
  if (cached !== undefined) return cached;
  const { heads, tails } = compoundLexicon();
  const minPart = 3;
  // best[i]: fewest parts covering word[i..] as head* tail
  const best: (string[] | null)[] = new Array(word.length + 1).fill(null);
  for (let i = word.length - minPart; i >= 0; i--) {
    const rest = word.slice(i);
    let choice: string[] | null = null;
    if (i > 0 && (tails.has(stemSv(rest)) || tails.has(rest))) choice = [rest];
    for (let j = word.length - minPart; j >= i + minPart; j--) {
      const head = word.slice(i, j);
      const tail = best[j];
      if (tail && heads.has(head) && (!choice || tail.length + 1 < choice.length)) {
        choice = [head, ...tail];
      }
    }
    best[i] = choice;
  }
  let result: string[] | null = null;
  for (let j = word.length - minPart; j >= minPart; j--) {
    const head = word.slice(0, j);
    const tail = best[j];
    if (tail && heads.has(head) && (!result || tail.length + 1 < result.length)) result = [head, ...tail];
  }
  surfaceCache.set(word, result);
  const parts = result
    ? result
        .map((part, index) =>
          index < result.length - 1 && part.endsWith('s') && part.length > 4 ? part.slice(0, -1) : part,
        )
        .map(stemSv)
    : null;
  if (compoundCache.size > 50_000) {
    compoundCache.clear();
    surfaceCache.clear();
  }
  compoundCache.set(word, parts);
  return parts;
}

/**
 * The parts of a compound; one level down, the parts of its parts (brandskyddsarbete → brandskydd, arbete,
 * brand, skydd); and, for three parts or more, the compounds its neighbouring parts make
 * (krisberedskapsarbetet → krisberedskap, beredskapsarbete; informationssäkerhetsarbetet → informationssäkerhet).
 */
export function compoundParts(word: string): { parts: string[]; subParts: string[]; spans: string[] } | null {
  const parts = splitCompound(word);
  if (!parts) return null;
  const subParts: string[] = [];
  const spans: string[] = [];
  const add = (stem: string, into: string[]) => {
    if (!parts.includes(stem) && !subParts.includes(stem) && !spans.includes(stem)) into.push(stem);
  };
  for (const surface of splitSurface(word) ?? []) {
    if (surface.length < 7) continue;
    for (const sub of splitCompound(surface) ?? []) add(sub, subParts);
  }
  // the last part may itself be a compound (data + skyddsombudet → data, skydds, ombudet)
  const own = surfaceCache.get(word);
  const last = own?.at(-1);
  const lastParts = last && last.length >= 7 && splitCompound(last) ? surfaceCache.get(last) : undefined;
  const written = own && lastParts ? [...own.slice(0, -1), ...lastParts] : own;
  if (written && written.length >= 3) {
    // written parts keep their linking -s: informations + säkerhets + arbetet
    const unlinked = (part: string) => (part.endsWith('s') && part.length > 4 ? part.slice(0, -1) : part);
    for (let from = 0; from < written.length; from++) {
      for (let to = from + 2; to <= written.length; to++) {
        if (to - from === written.length) continue;
        const span = written.slice(from, to);
        const last = span.length - 1;
        add(
          stemSv(span.map((part, i) => (i === last && to < written.length ? unlinked(part) : part)).join('')),
          spans,
        );
      }
    }
  }
  return { parts, subParts, spans };
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzåäöé';

/** Every string one edit (delete, transpose, replace, insert) away from `word`. */
export function edits1(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i <= word.length; i++) {
    const head = word.slice(0, i);
    const tail = word.slice(i);
    if (tail) out.push(head + tail.slice(1));
    if (tail.length > 1) out.push(head + (tail[1] as string) + (tail[0] as string) + tail.slice(2));
    for (const c of ALPHABET) {
      if (tail) out.push(head + c + tail.slice(1));
      out.push(head + c + tail);
    }
  }
  return out;
}

/** word → its correction, '' when it has none */
const spellCache = new Map<string, string>();

/** A dictionary word one edit from a misspelt Swedish word, or undefined (the dictionary knows the word, or nothing is near). */
export function spellSv(word: string): string | undefined {
  if (word.length < 5 || /[^a-zåäöé]/.test(word)) return undefined;
  // a word's correction depends only on the dictionary: every edit of a word is ~60 strings per letter,
  // so a question word is looked up once (questions repeat their words: ansvarar, informationssäkerheten)
  const cached = spellCache.get(word);
  if (cached !== undefined) return cached === '' ? undefined : cached;
  const { words } = compoundLexicon();
  let found = '';
  if (!words.has(word)) {
    for (const candidate of edits1(word)) {
      if (words.has(candidate)) {
        found = candidate;
        break;
      }
    }
  }
  if (spellCache.size > 50_000) spellCache.clear();
  spellCache.set(word, found);
  return found === '' ? undefined : found;
}
