/**
 * The knowledge index: passages in memory with an inverted index of analysed terms, ranked with
 * BM25 over the passage text (its section heading and document title weigh in less). A question
 * becomes term groups — one per concept, each with alternatives (the stem, compound parts,
 * synonyms, English→Swedish words, spelling corrections) — so a concept counts once however it is
 * phrased. Intent and organisation adjust the rank; coverage of the question's concepts decides
 * whether to answer at all. Plain code, no I/O.
 */
import {
  compoundParts,
  detectLanguage,
  isStopword,
  type Language,
  particleVerbs,
  spellSv,
  splitCompound,
  stemEn,
  stemSv,
  tokenize,
} from './analysis';
import {
  asksForPerson,
  DATE_TEXT,
  EXPLICIT_DATE,
  EXPLICIT_NAME,
  type Intent,
  intentBoost,
  intentsOf,
  personLine,
} from './intent';
import type { DocumentRecord, Passage } from './model';
import { enToSv, svSynonyms } from './vocabulary';

const K1 = 1.2;
const B = 0.5;
const HEADING_WEIGHT = 0.5;
const TITLE_WEIGHT = 0.2;
const PART_WEIGHT = 0.5;
/** Words of organisation names that do not tell one organisation from another. */
const GENERIC_ORGANISATION_WORDS = new Set([
  'region',
  'regionen',
  'regionens',
  'landstinget',
  'landstingets',
  'landsting',
  'kommun',
  'kommunen',
  'kommunens',
  'stad',
  'staden',
  'stads',
  'län',
  'länsstyrelsen',
  'county',
  'municipality',
  'city',
  'of',
]);

/** Tunable thresholds, chosen on the development question set (see bench/eval). */
export interface RankOptions {
  maxAnswers: number;
  /** Minimum share of the question's concepts (idf-weighted) the best passage must cover. */
  minCoverage: number;
  /** A second or third document is shown only when it scores at least this share of the best. */
  relativeCutoff: number;
  /** How much a word no document uses weighs in coverage, as a share of the rarest word's weight. */
  unknownWeight: number;
  /** A further passage of an answering document fills a free slot when it scores at least this share of the best. */
  fillCutoff: number;
  /** Extra weight for question concepts found in the passage's section heading. */
  headingBoost: number;
  /** Extra weight for the opening passage of a section whose heading names what is asked about. */
  leadBoost: number;
  /** Score factor for passages that do not end as a sentence does. */
  fragmentFactor: number;
  /** Passages with fewer content words than this are penalised (unless a name is asked for). */
  shortPassageWords: number;
}

export const defaultRankOptions: RankOptions = {
  maxAnswers: 3,
  minCoverage: 0.5,
  relativeCutoff: 0.55,
  fillCutoff: 0,
  unknownWeight: 0.7,
  headingBoost: 0.5,
  leadBoost: 0.5,
  fragmentFactor: 0.75,
  shortPassageWords: 8,
};

export interface RankedPassage {
  passage: Passage;
  document: DocumentRecord;
  score: number;
  coverage: number;
}

export interface SearchResult {
  answers: RankedPassage[];
  abstained: boolean;
  /** Why it abstained, for the user's message. */
  reason?: 'no-match' | 'other-organisation' | 'empty';
  language: Language;
  intents: Intent[];
  /** Organisations named in the question that no document speaks for. */
  unknownOrganisations: string[];
}

interface Alternative {
  term: string;
  weight: number;
}

interface Group {
  token: string;
  alternatives: Alternative[];
  /** Words that say what kind of answer is wanted (syfte, purpose, roll): they rank, but a policy need not use them. */
  soft?: boolean;
  /**
   * Function words that still steer the answer ("under en incident", "före", "policyn", "kunna"): they add to the
   * score, lighter, and never to coverage, so a passage without them is not held to have missed a concept.
   */
  light?: boolean;
}

/** Function words indexed although they are stop words: the phases before, during and after an event. */
const PHASE_WORDS = new Set(['före', 'under', 'efter']);

/** Weight of a light group's score, as a share of a content word's. */
const LIGHT_WEIGHT = 0.5;
/** Stop words that say when, or what about, in questions ("vad gör man under en incident", "vem följs policyn upp till"). */
const LIGHT_WORDS: Record<string, string[]> = {
  före: ['före'],
  innan: ['före'],
  under: ['under'],
  efter: ['efter'],
  efteråt: ['efter'],
  policyn: ['policy'],
};

const SOFT_WORDS = new Set([
  'syfte',
  'syftet',
  'syftar',
  'purpose',
  'purposes',
  'why',
  'varför',
  'roll',
  'rollen',
  'role',
  'innebörd',
  'innebörden',
  'meaning',
  'aim',
  'aims',
  'datum',
  'date',
  'dag',
  'heter',
  'namn',
  'namnet',
  'name',
]);

/** Analyses document text into weighted terms: stems (1) and compound parts (0.5). */
export function documentTerms(
  text: string,
  weight: number,
  into: Map<string, number>,
  language: Language = 'sv',
): number {
  let count = 0;
  const tokens = tokenize(text);
  if (language === 'sv') {
    for (const { term } of particleVerbs(tokens)) {
      const stem = stemSv(term);
      into.set(stem, (into.get(stem) ?? 0) + weight);
    }
  }
  for (const token of tokens) {
    if (isStopword(token, language)) {
      // "före", "under", "efter" mark the phases of a process ("Under: åtgärda det akuta läget")
      if (PHASE_WORDS.has(token)) into.set(token, (into.get(token) ?? 0) + weight);
      continue;
    }
    count++;
    const stem = language === 'sv' ? stemSv(token) : stemEn(token);
    into.set(stem, (into.get(stem) ?? 0) + weight);
    if (token.includes('-')) {
      for (const piece of token.split('-')) {
        if (piece.length < 2) continue;
        const s = stemSv(piece);
        into.set(s, (into.get(s) ?? 0) + weight * PART_WEIGHT);
      }
    }
    if (language === 'sv') {
      const compound = compoundParts(token);
      for (const part of compound?.parts ?? []) into.set(part, (into.get(part) ?? 0) + weight * PART_WEIGHT);
      for (const part of compound?.subParts ?? [])
        into.set(part, (into.get(part) ?? 0) + weight * PART_WEIGHT * 0.6);
    }
  }
  return count;
}

interface Entry {
  passage: Passage;
  document: DocumentRecord;
  length: number;
  /** Terms of the passage's section headings (not the document title). */
  heading: Map<string, number>;
  /** Whether the passage opens its section (the sentence that usually says what the section is about). */
  lead: boolean;
}

/** Restricted Damerau–Levenshtein (optimal string alignment) distance, capped. */
export function editDistance(a: string, b: string, cap = 3): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [
    i,
    ...new Array<number>(b.length).fill(0),
  ]);
  for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = d[i] as number[];
    const prev = d[i - 1] as number[];
    let rowMin = Number.POSITIVE_INFINITY;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, ((d[i - 2] as number[])[j - 2] as number) + 1);
      row[j] = v;
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > cap) return cap + 1;
  }
  return (d[a.length] as number[])[b.length] as number;
}

const deletions = (word: string): string[] => {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
};

export class KnowledgeIndex {
  private readonly entries: Entry[] = [];
  private readonly postings = new Map<string, { entry: number; tf: number }[]>();
  private readonly surface = new Set<string>();
  /** single-deletion neighbourhood of the surface vocabulary, for spelling correction */
  private readonly neighbours = new Map<string, string[]>();
  private readonly organisations = new Map<string, Set<string>>(); // lower-case distinctive name word → organisations
  private averageLength = 1;

  constructor(documents: DocumentRecord[], passages: Passage[]) {
    const byId = new Map(documents.map((d) => [d.id, d]));
    const titleTerms = new Map<string, Map<string, number>>();
    const headingTerms = new Map<string, Map<string, number>>();
    const sectionStart = new Map<string, string>();
    let totalLength = 0;
    for (const passage of passages) {
      const document = byId.get(passage.documentId);
      if (!document) continue;
      const terms = new Map<string, number>();
      const length = documentTerms(passage.text, 1, terms);
      const headingKey = `${document.id}\u0000${passage.sectionPath.join('\u0000')}`;
      let heading = headingTerms.get(headingKey);
      if (!heading) {
        heading = new Map();
        // the document's title is indexed once, lighter, below; headings are the sections inside it
        documentTerms(
          passage.sectionPath.filter((h) => h !== document.title).join(' '),
          HEADING_WEIGHT,
          heading,
        );
        headingTerms.set(headingKey, heading);
      }
      let title = titleTerms.get(document.id);
      if (!title) {
        title = new Map();
        documentTerms(`${document.title} ${document.organisation ?? ''}`, TITLE_WEIGHT, title);
        titleTerms.set(document.id, title);
      }
      for (const extra of [heading, title]) {
        for (const [term, tf] of extra) terms.set(term, (terms.get(term) ?? 0) + tf);
      }
      const index = this.entries.length;
      const first = sectionStart.get(headingKey);
      const lead = first === undefined || passage.text.startsWith(first);
      if (first === undefined) sectionStart.set(headingKey, firstSentence(passage.text));
      this.entries.push({ passage, document, length: Math.max(length, 1), heading, lead });
      totalLength += Math.max(length, 1);
      for (const [term, tf] of terms) {
        let list = this.postings.get(term);
        if (!list) {
          list = [];
          this.postings.set(term, list);
        }
        list.push({ entry: index, tf });
      }
      for (const token of tokenize(`${passage.text} ${passage.section}`)) this.addSurface(token);
    }
    this.averageLength = totalLength / Math.max(this.entries.length, 1);
    for (const document of documents) {
      if (!document.organisation) continue;
      for (const word of tokenize(document.organisation)) {
        if (GENERIC_ORGANISATION_WORDS.has(word) || word.length < 3) continue;
        let set = this.organisations.get(word);
        if (!set) {
          set = new Set();
          this.organisations.set(word, set);
        }
        set.add(document.organisation);
      }
    }
  }

  /** The organisations a question word names: exact, genitive (Hallands), or one typo away (haland). */
  private organisationOf(word: string): Set<string> | undefined {
    const exact =
      this.organisations.get(word) ??
      (word.endsWith('s') ? this.organisations.get(word.slice(0, -1)) : undefined);
    if (exact) return exact;
    if (word.length < 5 || isStopword(word, 'sv') || isStopword(word, 'en')) return undefined;
    for (const [name, set] of this.organisations) {
      if (
        name.length >= 5 &&
        (editDistance(word, name, 1) <= 1 ||
          (word.endsWith('s') && editDistance(word.slice(0, -1), name, 1) <= 1))
      ) {
        // a typo, unless the word is an ordinary word of the documents
        if (!this.surface.has(word)) return set;
      }
    }
    return undefined;
  }

  private passagesOf(documentId: string): Passage[] {
    return this.entries.filter((e) => e.document.id === documentId).map((e) => e.passage);
  }

  get size(): number {
    return this.entries.length;
  }

  private addSurface(token: string): void {
    if (this.surface.has(token) || token.length < 4 || /\d/.test(token)) return;
    this.surface.add(token);
    for (const key of deletions(token)) {
      const list = this.neighbours.get(key);
      if (list) list.push(token);
      else this.neighbours.set(key, [token]);
    }
  }

  /** A word of the documents within one or two edits of a misspelt word (krisberedsap → krisberedskap). */
  correct(word: string): string | undefined {
    if (word.length < 5 || this.surface.has(word) || /\d/.test(word)) return undefined;
    const maxDistance = word.length >= 9 ? 2 : 1;
    const candidates = new Set<string>([...(this.neighbours.get(word) ?? [])]);
    for (const key of deletions(word)) {
      if (this.surface.has(key)) candidates.add(key);
      for (const c of this.neighbours.get(key) ?? []) candidates.add(c);
    }
    let best: string | undefined;
    let bestDistance = maxDistance + 1;
    let bestDf = 0;
    for (const candidate of candidates) {
      const distance = editDistance(word, candidate, maxDistance);
      const df = this.postings.get(stemSv(candidate))?.length ?? 0;
      if (distance < bestDistance || (distance === bestDistance && df > bestDf)) {
        best = candidate;
        bestDistance = distance;
        bestDf = df;
      }
    }
    return bestDistance <= maxDistance ? best : undefined;
  }

  /** An English word of the vocabulary one edit from a misspelt one (awarness → awareness). */
  private correctEnglish(word: string): string | undefined {
    if (word.length < 5 || enToSv[word]) return undefined;
    for (const candidate of Object.keys(enToSv)) {
      if (Math.abs(candidate.length - word.length) <= 1 && editDistance(word, candidate, 1) <= 1)
        return candidate;
    }
    return undefined;
  }

  private idf(term: string): number {
    const df = this.postings.get(term)?.length ?? 0;
    const n = this.entries.length;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  private maxIdf(): number {
    return Math.log(1 + (this.entries.length + 0.5) / 0.5);
  }

  private has(term: string): boolean {
    return this.postings.has(term);
  }

  /** Swedish alternatives for a Swedish word or phrase. */
  private svAlternatives(phrase: string, weight: number): Alternative[] {
    const out: Alternative[] = [];
    const tokens = tokenize(phrase).filter((t) => !isStopword(t, 'sv'));
    const share = tokens.length > 1 ? 1 / Math.sqrt(tokens.length) : 1;
    for (const token of tokens) {
      out.push({ term: stemSv(token), weight: weight * share });
      for (const part of splitCompound(token) ?? []) out.push({ term: part, weight: weight * share * 0.7 });
    }
    return out;
  }

  /** A Swedish compound of two translated words that the documents use (säkerhet + enhet → säkerhetsenhet). */
  private composeCompound(first: string[], second: string[]): string | undefined {
    for (const x of first.slice(0, 2)) {
      for (const y of second.slice(0, 2)) {
        if (x.includes(' ') || y.includes(' ')) continue;
        for (const candidate of [`${x}s${y}`, `${x}${y}`, `${x.replace(/[ae]$/, '')}${y}`]) {
          const stem = stemSv(candidate);
          if (stem.length > stemSv(x).length + 2 && this.has(stem)) return candidate;
        }
      }
    }
    return undefined;
  }

  /** Turns a question into concept groups. */
  analyseQuestion(question: string): { groups: Group[]; language: Language } {
    const language = detectLanguage(question);
    const lower = question.toLowerCase();
    const tokens = tokenize(question);
    const groups: Group[] = [];
    const used = new Set<number>();

    if (language === 'en') {
      // multi-word English terms first ("crisis preparedness", "line manager")
      for (let i = 0; i < tokens.length; i++) {
        for (const size of [3, 2]) {
          if (i + size > tokens.length || [...Array(size).keys()].some((k) => used.has(i + k))) continue;
          const phrase = tokens.slice(i, i + size).join(' ');
          const sv = enToSv[phrase];
          if (sv) {
            groups.push({ token: phrase, alternatives: sv.flatMap((w) => this.svAlternatives(w, 1)) });
            for (let k = 0; k < size; k++) used.add(i + k);
          }
        }
      }
    }
    if (language === 'en') {
      // English noun + noun → the Swedish compound the documents use ("security unit" → säkerhetsenhet)
      for (let i = 0; i + 1 < tokens.length; i++) {
        const [a, b] = [tokens[i] as string, tokens[i + 1] as string];
        if (used.has(i) || used.has(i + 1) || isStopword(a, 'en') || isStopword(b, 'en')) continue;
        const compound = this.composeCompound(enToSv[a] ?? [], enToSv[b] ?? []);
        if (compound) {
          groups.push({
            token: `${a} ${b}`,
            alternatives: [{ term: stemSv(compound), weight: 1 }, ...this.svAlternatives(compound, 0.7)],
          });
          used.add(i);
          used.add(i + 1);
        }
      }
    }
    // Swedish phrases: particle verbs ("följs … upp" → uppföljning) and multi-word everyday expressions
    const particles = new Map<number, string>();
    if (language === 'sv') {
      for (const { verb, particle, term } of particleVerbs(tokens)) {
        particles.set(verb, term);
        used.add(particle);
      }
    }
    for (let i = 0; i < tokens.length; i++) {
      for (const size of [3, 2]) {
        if (
          i + size > tokens.length ||
          [...Array(size).keys()].some((k) => used.has(i + k) || particles.has(i + k))
        )
          continue;
        const phrase = tokens.slice(i, i + size).join(' ');
        const sv = svSynonyms[phrase];
        if (sv) {
          groups.push({ token: phrase, alternatives: sv.flatMap((w) => this.svAlternatives(w, 0.9)) });
          for (let k = 0; k < size; k++) used.add(i + k);
        }
      }
    }
    // "Region Blekinge": the generic word goes with the name, which steers rather than matches
    const nextToName = (i: number) =>
      [i - 1, i + 1].some((j) => tokens[j] !== undefined && this.isOrganisationWord(tokens[j] as string));
    tokens.forEach((token, i) => {
      if (GENERIC_ORGANISATION_WORDS.has(token) && nextToName(i)) used.add(i);
    });
    void lower;

    tokens.forEach((token, i) => {
      if (used.has(i) || this.isOrganisationWord(token)) return;
      if (isStopword(token, language) && !particles.has(i)) {
        const light = this.lightGroup(token, language);
        if (light) groups.push(light);
        return;
      }
      const alternatives: Alternative[] = [];
      const sv = stemSv(token);
      if (language === 'en') {
        const translated = enToSv[token];
        if (translated) for (const w of translated) alternatives.push(...this.svAlternatives(w, 1));
        alternatives.push({ term: stemEn(token), weight: 0.8 }, { term: sv, weight: 0.8 });
      } else if (particles.has(i)) {
        const meaning = particles.get(i) as string;
        alternatives.push({ term: stemSv(meaning), weight: 1 }, { term: sv, weight: 0.7 });
        for (const w of svSynonyms[meaning] ?? []) alternatives.push(...this.svAlternatives(w, 0.8));
      } else {
        alternatives.push({ term: sv, weight: 1 });
      }
      const synonyms = svSynonyms[token] ?? svSynonyms[sv];
      if (synonyms) for (const w of synonyms) alternatives.push(...this.svAlternatives(w, 0.85));
      if (token.includes('-')) {
        for (const piece of token.split('-'))
          if (piece.length > 1) alternatives.push({ term: stemSv(piece), weight: 0.6 });
      }
      let parts = language === 'sv' ? splitCompound(token) : null;
      if (parts && !alternatives.some((a) => this.has(a.term)) && token.length >= 9) {
        // a typo inside a long compound (informationssäkehet): the dictionary may still split it into parts
        // that miss the point; a word of the documents one or two edits away is what was meant
        const corrected = this.correct(token);
        if (corrected) {
          alternatives.push({ term: stemSv(corrected), weight: 0.9 });
          for (const w of svSynonyms[corrected] ?? []) alternatives.push(...this.svAlternatives(w, 0.8));
          parts = splitCompound(corrected);
        }
      }
      if (language === 'sv' && !alternatives.some((a) => this.has(a.term)) && enToSv[token]) {
        // an English loanword in a Swedish question (phishing, backup, laptop)
        for (const w of enToSv[token] ?? []) alternatives.push(...this.svAlternatives(w, 0.85));
      }
      if (!alternatives.some((a) => this.has(a.term)) && !parts) {
        const corrected = language === 'sv' ? (this.correct(token) ?? spellSv(token)) : undefined;
        const english = language === 'en' ? this.correctEnglish(token) : undefined;
        if (english)
          for (const w of enToSv[english] ?? []) alternatives.push(...this.svAlternatives(w, 0.85));
        if (corrected) {
          alternatives.push({ term: stemSv(corrected), weight: 0.85 });
          for (const part of splitCompound(corrected) ?? []) alternatives.push({ term: part, weight: 0.5 });
          const correctedSynonyms = svSynonyms[corrected];
          if (correctedSynonyms)
            for (const w of correctedSynonyms) alternatives.push(...this.svAlternatives(w, 0.8));
        }
      }
      if (parts && parts.length > 1 && !this.has(sv)) {
        // a compound the documents do not use as such: each part is its own concept
        for (const part of parts) {
          const partAlternatives: Alternative[] = [{ term: part, weight: 0.9 }];
          for (const w of svSynonyms[part] ?? enToSv[part] ?? [])
            partAlternatives.push(...this.svAlternatives(w, 0.8));
          groups.push({
            token: `${token}:${part}`,
            alternatives: dedupe([...alternatives, ...partAlternatives]),
          });
        }
        return;
      }
      if (parts) for (const part of parts) alternatives.push({ term: part, weight: 0.6 });
      groups.push({ token, alternatives: dedupe(alternatives), soft: SOFT_WORDS.has(token) });
    });
    return { groups: groups.filter((g) => g.alternatives.length > 0), language };
  }

  /** A stop word that still steers the answer, as a light group; undefined for the others. */
  private lightGroup(token: string, language: Language): Group | undefined {
    const words = language === 'en' ? enToSv[token] : (LIGHT_WORDS[token] ?? svSynonyms[token] ?? undefined);
    if (!words) return undefined;
    const alternatives = dedupe(
      words.flatMap((w) =>
        PHASE_WORDS.has(w) ? [{ term: w, weight: LIGHT_WEIGHT }] : this.svAlternatives(w, LIGHT_WEIGHT),
      ),
    );
    return alternatives.some((a) => this.has(a.term)) ? { token, alternatives, light: true } : undefined;
  }

  /** Organisations named in the question: known ones (to prefer) and unknown ones (to abstain). */
  organisationsIn(question: string): { known: Set<string>; unknown: string[] } {
    const known = new Set<string>();
    const unknown: string[] = [];
    for (const token of tokenize(question)) {
      for (const org of this.organisationOf(token) ?? []) known.add(org);
    }
    const named =
      /\b(?:region|regionen|landstinget|landsting)\s+(\p{L}+)|\b(\p{L}+)\s+(?=(?:kommun|stad|region|county|municipality)\b)|\b(\p{L}+)regionen\b/giu;
    for (const m of question.matchAll(named)) {
      const word = (m[1] ?? m[2] ?? m[3] ?? '').toLowerCase();
      if (!word || this.organisationOf(word)) continue;
      if (isStopword(word, 'sv') || isStopword(word, 'en') || this.surface.has(word)) continue;
      if (
        [
          'min',
          'vår',
          'er',
          'din',
          'denna',
          'the',
          'my',
          'our',
          'this',
          'your',
          'hela',
          'inom',
          'policy',
          'gäller',
          'ska',
          'varje',
          'each',
          'every',
          'annan',
          'another',
          'other',
        ].includes(word)
      )
        continue;
      unknown.push(word);
    }
    return { known, unknown };
  }

  /** Whether a question word names an organisation that has documents here (it then steers, not matches). */
  isOrganisationWord(word: string): boolean {
    return this.organisationOf(word) !== undefined;
  }

  search(question: string, options: RankOptions = defaultRankOptions): SearchResult {
    const { groups, language } = this.analyseQuestion(question);
    const intents = intentsOf(question);
    const { known, unknown } = this.organisationsIn(question);
    const empty = (reason: SearchResult['reason']): SearchResult => ({
      answers: [],
      abstained: true,
      reason,
      language,
      intents,
      unknownOrganisations: unknown,
    });
    if (groups.every((g) => g.light) || this.entries.length === 0) return empty('empty');
    if (unknown.length > 0 && known.size === 0) return empty('other-organisation');

    const scores = new Float64Array(this.entries.length);
    const covered = new Float64Array(this.entries.length);
    const inHeading = new Float64Array(this.entries.length);
    const touched = new Set<number>();
    let totalIdf = 0;
    const maxIdf = this.maxIdf();
    for (const group of groups) {
      const best = new Map<number, { score: number; weight: number }>();
      let groupIdf = 0;
      for (const alternative of group.alternatives) {
        const list = this.postings.get(alternative.term);
        if (!list) continue;
        const idf = this.idf(alternative.term);
        groupIdf = Math.max(groupIdf, idf * alternative.weight);
        for (const { entry, tf } of list) {
          const length = (this.entries[entry] as Entry).length;
          const norm = (tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * length) / this.averageLength));
          const score = alternative.weight * idf * norm;
          const previous = best.get(entry);
          // a concept met in a heading or as a compound's part (tf 0.5) is covered; in the title only partly
          if (!previous || score > previous.score)
            best.set(entry, { score, weight: alternative.weight * Math.min(tf / 0.5, 1) });
        }
      }
      if (group.light) {
        for (const [entry, { score }] of best) {
          scores[entry] = (scores[entry] as number) + score;
          touched.add(entry);
        }
        continue;
      }
      // an unknown concept (a word no document uses) weighs like the rarest word
      if (groupIdf === 0 && group.soft) continue;
      const weightInCoverage = groupIdf > 0 ? groupIdf : maxIdf * options.unknownWeight;
      totalIdf += weightInCoverage;
      for (const [entry, { score, weight }] of best) {
        const heading = (this.entries[entry] as Entry).heading;
        if (group.alternatives.some((a) => a.weight >= 0.6 && heading.has(a.term)))
          inHeading[entry] = (inHeading[entry] as number) + weightInCoverage;
        scores[entry] = (scores[entry] as number) + score;
        covered[entry] = (covered[entry] as number) + weightInCoverage * Math.min(weight, 1);
        touched.add(entry);
      }
    }

    const bestPerDocument = new Map<string, RankedPassage>();
    const all: RankedPassage[] = [];
    for (const entry of touched) {
      const { passage, document, length, lead } = this.entries[entry] as Entry;
      const coverage = (covered[entry] as number) / totalIdf;
      let score = (scores[entry] as number) * intentBoost(intents, passage.text) * (0.5 + coverage);
      // a section whose heading names what is asked about answers it ("2.2 Informationssäkerhetssamordnare")
      const headingShare = (inHeading[entry] as number) / totalIdf;
      score *= 1 + options.headingBoost * headingShare;
      if (lead && headingShare > 0) score *= 1 + options.leadBoost * headingShare;
      // very short passages (signatures, lone headings) win on length alone; they answer only "who is …"
      if (!asksForPerson(intents)) {
        if (length < options.shortPassageWords) score *= Math.sqrt(length / options.shortPassageWords);
        // a fragment that is not a sentence (a reference line, a letterhead) answers less than a sentence does
        if (!/[.!?:;)"”]$/.test(passage.text)) score *= options.fragmentFactor;
      }
      if (known.size > 0) {
        // a question that names an organisation is answered from its documents (or from ones that name none)
        if (document.organisation && !known.has(document.organisation)) continue;
        if (document.organisation) score *= 1.6;
      }
      const ranked = { passage, document, score, coverage };
      all.push(ranked);
      const current = bestPerDocument.get(document.id);
      if (!current || score > current.score) bestPerDocument.set(document.id, ranked);
    }
    let ranked = [...bestPerDocument.values()].sort((a, b) => b.score - a.score);
    // a question only a date or a name answers: show the document's passage that holds one, or none
    const wantsDate = EXPLICIT_DATE.test(question);
    const wantsName = !wantsDate && EXPLICIT_NAME.test(question);
    if (wantsDate || wantsName) {
      const fits = (text: string) => (wantsDate ? DATE_TEXT.test(text) : personLine(text));
      ranked = ranked.flatMap((r) => {
        if (fits(r.passage.text)) return [r];
        const holder = this.passagesOf(r.document.id).find(
          (p) =>
            fits(p.text) &&
            (!wantsDate || !r.document.adoptedDate || p.text.includes(r.document.adoptedDate)),
        );
        return holder ? [{ ...r, passage: holder }] : [];
      });
    }
    const top = ranked[0];
    if (!top || top.coverage < options.minCoverage) return { ...empty('no-match'), answers: [] };
    const answers = ranked
      .filter(
        (r, i) =>
          i === 0 || (r.score >= top.score * options.relativeCutoff && r.coverage >= options.minCoverage),
      )
      .slice(0, options.maxAnswers);
    if (!wantsDate && !wantsName && answers.length < options.maxAnswers) {
      fillFromSameDocuments(answers, all, top, options);
    }
    return { answers, abstained: false, language, intents, unknownOrganisations: unknown };
  }
}

/**
 * When fewer documents answer than there are slots, the next-best passages of the answering documents fill
 * them — often a sibling of the best passage in the same section (the section's list goes on), or another
 * section — never one that repeats a sentence already shown.
 */
function fillFromSameDocuments(
  answers: RankedPassage[],
  all: RankedPassage[],
  top: RankedPassage,
  options: RankOptions,
): void {
  const documents = new Set(answers.map((a) => a.document.id));
  const candidates = all
    .filter(
      (r) =>
        documents.has(r.document.id) &&
        r.coverage >= options.minCoverage &&
        r.score >= top.score * options.fillCutoff,
    )
    .sort((a, b) => b.score - a.score);
  for (const candidate of candidates) {
    if (answers.length >= options.maxAnswers) break;
    if (answers.some((a) => overlaps(a.passage.text, candidate.passage.text))) continue;
    answers.push(candidate);
  }
}

/** Whether two windows share a sentence (one holds the other's opening sentence). */
const overlaps = (a: string, b: string): boolean =>
  a.includes(firstSentence(b)) || b.includes(firstSentence(a));

const firstSentence = (text: string): string => /^.*?[.!?:](?=\s|$)/s.exec(text)?.[0] ?? text;

function dedupe(alternatives: Alternative[]): Alternative[] {
  const best = new Map<string, number>();
  for (const a of alternatives) best.set(a.term, Math.max(best.get(a.term) ?? 0, a.weight));
  return [...best].map(([term, weight]) => ({ term, weight }));
}
