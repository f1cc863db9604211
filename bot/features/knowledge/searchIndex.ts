/**
 * The knowledge index: passages in memory with an inverted index of analysed terms, ranked with
 * BM25 over the passage text (its section heading and document title weigh in less). A question
 * becomes term groups — one per concept, each with alternatives (the stem, compound parts,
 * synonyms, English→Swedish words, spelling corrections) — so a concept counts once however it is
 * phrased. Intent and organisation adjust the rank; the decision (decision.ts) reads coverage, margin and
 * answer types to say answer, uncertain or none. Plain code, no I/O.
 */
import {
  compoundParts,
  detectLanguage,
  dictionaryWords,
  isStopword,
  type Language,
  particleVerbs,
  spellSv,
  splitCompound,
  stemEn,
  stemSv,
  tokenize,
} from './analysis';
import { swedishCognates } from './cognates';
import {
  type Confidence,
  type DecisionCalibration,
  type DecisionSignals,
  decide,
  defaultCalibration,
} from './decision';
import {
  asksForPerson,
  DATE_TEXT,
  EXPLICIT_DATE,
  EXPLICIT_NAME,
  headingIntents,
  type Intent,
  intentBoostOf,
  intentsOf,
  passageIntents,
  personLine,
} from './intent';
import { letterAware } from './letters';
import type { DocumentRecord, Passage } from './model';
import { regionNamesOf } from './places';
import { type Postings, PostingsBuilder } from './postings';
import { editDistance, SurfaceVocabulary } from './spelling';
import { thesaurusEn, thesaurusSv } from './thesaurus';
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

/** Ranking settings (the decision's thresholds are in decision.ts). */
export interface RankOptions {
  maxAnswers: number;
  /** Minimum share of the known concepts (idf-weighted) a passage after the best must cover to be shown. */
  minCoverage: number;
  /** A second or third document is shown only when it scores at least this share of the best. */
  relativeCutoff: number;
  /** How much a word no document uses weighs in coverage, as a share of the question's typical known word. */
  unknownWeight: number;
  /** A further passage of an answering document fills a free slot when it scores at least this share of the best. */
  fillCutoff: number;
  /** Extra weight for question concepts found in the passage's section heading. */
  headingBoost: number;
  /** The heading share a section earns when its heading names the kind of answer asked for ("Genomförande"). */
  intentHeadingShare: number;
  /** Extra weight for the opening passage of a section whose heading names what is asked about. */
  leadBoost: number;
  /** Score factor for passages that do not end as a sentence does. */
  fragmentFactor: number;
  /** Passages with fewer content words than this are penalised (unless a name is asked for). */
  shortPassageWords: number;
  /** Exact top-k pruning (see search): the same answers and decision, fewer passages scored. */
  prune: boolean;
}

export const defaultRankOptions: RankOptions = {
  maxAnswers: 3,
  minCoverage: 0.5,
  relativeCutoff: 0.55,
  fillCutoff: 0.3,
  unknownWeight: 0.7,
  headingBoost: 0.5,
  leadBoost: 0.5,
  intentHeadingShare: 0.5,
  fragmentFactor: 0.75,
  shortPassageWords: 8,
  prune: true,
};

export interface RankedPassage {
  passage: Passage;
  document: DocumentRecord;
  score: number;
  /** Share of the question's concepts the passage covers (a concept no document uses counts as a typical one). */
  coverage: number;
  /** Share of the concepts the documents use that the passage covers. */
  knownCoverage: number;
}

export interface SearchResult {
  answers: RankedPassage[];
  /** answer: the passages answer the question; uncertain: they are close; none: nothing is relevant. */
  confidence: Confidence;
  /** True exactly when confidence is none. */
  abstained: boolean;
  /** What the decision read (for calibration and logs). */
  signals?: DecisionSignals;
  /** Why it said none, for the user's message. */
  reason?: 'no-match' | 'other-organisation' | 'empty' | 'answer-type';
  language: Language;
  intents: Intent[];
  /** Organisations named in the question that no document speaks for. */
  unknownOrganisations: string[];
  /** How many passages were scored (for diagnostics: the exact pruning leaves out passages that cannot be shown). */
  scored?: number;
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
  /** Met only through a thesaurus synonym: it ranks like a light word, and the decision counts it as unknown. */
  weak?: boolean;
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
      for (const span of compound?.spans ?? []) into.set(span, (into.get(span) ?? 0) + weight * PART_WEIGHT);
    }
  }
  return count;
}

let stemSynonyms: Map<string, string[]> | undefined;

/** The everyday-word synonyms of a stem, for a compound's parts (avdel → avdelning → enhet, funktion …). */
function synonymsOfStem(stem: string): string[] | undefined {
  if (!stemSynonyms) {
    stemSynonyms = new Map();
    for (const [word, synonyms] of Object.entries(svSynonyms)) {
      if (word.includes(' ')) continue;
      const key = stemSv(word);
      stemSynonyms.set(key, [...new Set([...(stemSynonyms.get(key) ?? []), ...synonyms])]);
    }
  }
  return stemSynonyms.get(stem);
}

/**
 * The Swedish words for an English word: as written, without its hyphens ("e-mail"), or from its base form
 * ("breaches" → breach, "reported" → report, "stolen" stays unknown): the vocabulary lists base forms.
 */
function english(word: string): string[] | undefined {
  const listed = enToSv[word] ?? enToSv[word.replace(/-/g, '')];
  if (listed) return listed;
  for (const base of englishBaseForms(word)) {
    const found = enToSv[base];
    if (found) return found;
  }
  return undefined;
}

/** The base forms an inflected English word may have ("breaches" → breach, "stopped" → stop), most likely first. */
function englishBaseForms(word: string): string[] {
  if (word.length < 4) return [];
  const out: string[] = [];
  for (const [ending, base] of ENGLISH_ENDINGS) {
    if (!word.endsWith(ending)) continue;
    const stem = word.slice(0, -ending.length);
    out.push(stem + base);
    if (base === '' && /(.)\1$/.test(stem)) out.push(stem.slice(0, -1));
  }
  return out;
}

/** WordNet's synonyms of an English word the list translates, as written or by its base form (see thesaurusEn). */
function englishSynonyms(word: string): string[] {
  for (const form of [word, ...englishBaseForms(word)]) {
    const synonyms = thesaurusEn(form);
    if (synonyms.length > 0) return synonyms;
  }
  return [];
}

/** English inflections and what their base form ends with instead, longest first. */
const ENGLISH_ENDINGS: [string, string][] = [
  ['ies', 'y'],
  ['ied', 'y'],
  ['ing', ''],
  ['ing', 'e'],
  ['es', ''],
  ['ed', ''],
  ['ed', 'e'],
  ['s', ''],
];

/** The English words and phrases the vocabulary translates, for correcting English typos. */
const englishWords = Object.keys(enToSv);

/** A thesaurus synonym's weight (a word of the question no document uses), and how many are tried. */
const THESAURUS_WEIGHT = 0.7;
const MAX_THESAURUS_SYNONYMS = 4;

/** One alternative of a concept as the walk reads it: its postings, and the most it can add to a passage's score. */
interface PlannedAlternative {
  id: number;
  weight: number;
  idf: number;
  count: number;
  bound: number;
}

/** Per intent mask of the index (KnowledgeIndex.intentMasks): the boost it earns, and whether its heading names the kind of answer asked for. */
interface IntentBoosts {
  boost: Float64Array;
  heading: Uint8Array;
}

/** A concept as the walk reads it (see search). */
interface PlannedGroup {
  group: Group;
  alternatives: PlannedAlternative[];
  groupIdf: number;
  /** whether it counts in coverage (not a light word, not met only through the thesaurus, used by some passage) */
  counts: boolean;
}

/** Past every entry: the merge's end. */
const NO_ENTRY = 0xffffffff;

/** Per-entry flags, packed. */
const LEAD = 1;
const ENDS_SENTENCE = 2;

export class KnowledgeIndex {
  /** entry → the passage and its document (the caller's objects; the index keeps numbers beside them) */
  private readonly passages: Passage[] = [];
  private readonly documents: DocumentRecord[] = [];
  private readonly documentIndex = new Map<string, number>();
  private readonly entryDocument: Uint32Array;
  private readonly entryLength: Uint16Array;
  /** BM25's length normalisation per entry: K1 · (1 − B + B · length / average length) */
  private readonly entryNorm: Float32Array;
  private readonly entrySection: Uint32Array;
  private readonly entryFlags: Uint8Array;
  /** which intents' passage patterns the text meets, one bit per intent rule */
  /** the distinct intent masks of the entries (below), and per entry the index of its mask among them */
  private readonly intentMasks: Uint32Array;
  private readonly entryMask: Uint32Array;
  /** document → its entries, in order */
  private readonly documentEntries: number[][] = [];
  private readonly postings: Postings;
  /** term → the sections whose headings hold it */
  private readonly headings: Postings;
  private readonly surface = new SurfaceVocabulary();
  private readonly organisations = new Map<string, Set<string>>(); // lower-case distinctive name word → organisations
  // scratch space for one search at a time (search is synchronous)
  private readonly scores: Float64Array;
  private readonly covered: Float64Array;
  private readonly inHeading: Float64Array;
  /** how many of the question's concepts the entry's section heading names */
  private readonly headingHits: Uint8Array;
  /** how many content words each section's headings have */
  private readonly sectionWords: Uint8Array;
  /** per entry, its final score (rank) */
  private readonly final: Float64Array;
  private readonly sectionStamp: Uint32Array;
  /** the sections whose headings name any of the question's concepts (marked with the search's stamp) */
  private readonly sectionNamed: Uint32Array;
  private readonly touched: Uint32Array;
  private readonly seen: Uint8Array;
  /** the highest idf among the concepts an entry covers (how specific its match is) */
  private readonly bestIdf: Float64Array;
  /** which of the question's concepts an entry covers, one bit per concept */
  private readonly coveredMask: Uint32Array;
  private readonly documentBest: Int32Array;
  /** term id → the most one posting of the term adds to BM25 (tf · (K1 + 1) / (tf + norm)), for the pruning's bound */
  private readonly termImpact: Float64Array;
  private stamp = 0;

  constructor(documents: DocumentRecord[], passages: Iterable<Passage>) {
    const documentIndex = this.documentIndex;
    for (const document of documents) {
      documentIndex.set(document.id, this.documents.length);
      this.documents.push(document);
      this.documentEntries.push([]);
    }
    const titleTerms = new Map<number, Map<string, number>>();
    const sections = new Map<string, number>();
    const sectionStart: string[] = [];
    const sectionHeadings: Map<string, number>[] = [];
    const sectionWords: number[] = [];
    const postings = new PostingsBuilder();
    const headings = new PostingsBuilder();
    const entryDocument: number[] = [];
    const entryLength: number[] = [];
    const entrySection: number[] = [];
    const entryFlags: number[] = [];
    const entryIntents: number[] = [];
    let totalLength = 0;
    for (const passage of passages) {
      const d = documentIndex.get(passage.documentId);
      if (d === undefined) continue;
      const document = this.documents[d] as DocumentRecord;
      const terms = new Map<string, number>();
      const length = Math.min(Math.max(documentTerms(passage.text, 1, terms), 1), 65535);
      const headingKey = `${d}\u0000${passage.sectionPath.join('\u0000')}`;
      let section = sections.get(headingKey);
      if (section === undefined) {
        section = sections.size;
        sections.set(headingKey, section);
        const heading = new Map<string, number>();
        // the document's title is indexed once, lighter, below; headings are the sections inside it
        const headingText = passage.sectionPath.filter((h) => h !== document.title).join(' ');
        documentTerms(headingText, HEADING_WEIGHT, heading);
        headings.add(section, heading);
        sectionWords.push(
          Math.min(255, tokenize(headingText).filter((t) => !isStopword(t, 'sv') && !/\d/.test(t)).length),
        );
        sectionHeadings.push(heading);
        sectionStart.push(firstSentence(passage.text));
      }
      const heading = sectionHeadings[section] as Map<string, number>;
      let title = titleTerms.get(d);
      if (!title) {
        title = new Map();
        documentTerms(`${document.title} ${document.organisation ?? ''}`, TITLE_WEIGHT, title);
        titleTerms.set(d, title);
      }
      for (const extra of [heading, title]) {
        for (const [term, tf] of extra) terms.set(term, (terms.get(term) ?? 0) + tf);
      }
      const entry = this.passages.length;
      this.passages.push(passage);
      (this.documentEntries[d] as number[]).push(entry);
      entryDocument.push(d);
      entryLength.push(length);
      entrySection.push(section);
      const lead = passage.text.startsWith(sectionStart[section] as string);
      // a passage that does not end as a sentence does (a reference line, a letterhead)
      const endsSentence = /[.!?:;)"”]$/.test(passage.text);
      entryFlags.push((lead ? LEAD : 0) | (endsSentence ? ENDS_SENTENCE : 0));
      entryIntents.push(passageIntents(passage.text, passage.section));
      totalLength += length;
      postings.add(entry, terms);
      for (const token of tokenize(`${passage.text} ${passage.section}`)) this.surface.add(token);
    }
    const n = this.passages.length;
    const averageLength = totalLength / Math.max(n, 1);
    this.entryDocument = Uint32Array.from(entryDocument);
    this.entryLength = Uint16Array.from(entryLength);
    this.entryNorm = Float32Array.from(entryLength, (length) => K1 * (1 - B + (B * length) / averageLength));
    this.entrySection = Uint32Array.from(entrySection);
    this.entryFlags = Uint8Array.from(entryFlags);
    this.postings = postings.build();
    this.termImpact = new Float64Array(this.postings.start.length - 1);
    for (let id = 0; id < this.termImpact.length; id++) {
      let most = 0;
      const end = this.postings.start[id + 1] as number;
      for (let p = this.postings.start[id] as number; p < end; p++) {
        const tf = this.postings.weightAt(p);
        const impact = (tf * (K1 + 1)) / (tf + (this.entryNorm[this.postings.entry[p] as number] as number));
        if (impact > most) most = impact;
      }
      this.termImpact[id] = most;
    }
    const masks = new Map<number, number>();
    this.entryMask = Uint32Array.from(entryIntents, (mask) => {
      let index = masks.get(mask);
      if (index === undefined) {
        index = masks.size;
        masks.set(mask, index);
      }
      return index;
    });
    this.intentMasks = Uint32Array.from(masks.keys());
    this.headings = headings.build();
    this.scores = new Float64Array(n);
    this.covered = new Float64Array(n);
    this.inHeading = new Float64Array(n);
    this.headingHits = new Uint8Array(n);
    this.sectionWords = Uint8Array.from(sectionWords);
    this.final = new Float64Array(n);
    this.sectionStamp = new Uint32Array(sections.size);
    this.sectionNamed = new Uint32Array(sections.size);
    this.touched = new Uint32Array(n);
    this.seen = new Uint8Array(n);
    this.bestIdf = new Float64Array(n);
    this.coveredMask = new Uint32Array(n);
    this.documentBest = new Int32Array(this.documents.length).fill(-1);
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
    // a county or its seat names its region (Halmstad, Hallands → Region Halland)
    for (const name of regionNamesOf(word)) {
      const region = this.organisations.get(name);
      if (region) return region;
    }
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

  get size(): number {
    return this.passages.length;
  }

  private byId: Map<string, Passage> | undefined;

  /** A passage found by other means (by meaning), as a candidate with no lexical score. */
  ranked(passageId: string): RankedPassage | undefined {
    this.byId ??= new Map(this.passages.map((p) => [p.id, p]));
    const passage = this.byId.get(passageId);
    const d = passage ? this.documentIndex.get(passage.documentId) : undefined;
    const document = d === undefined ? undefined : this.documents[d];
    return passage && document ? { passage, document, score: 0, coverage: 0, knownCoverage: 0 } : undefined;
  }

  /** A word of the documents within one or two edits of a misspelt word (krisberedsap → krisberedskap). */
  correct(word: string): string | undefined {
    return this.surface.correct(word, (candidate) => this.postings.count(stemSv(candidate)));
  }

  /** An English word of the vocabulary one edit from a misspelt one (awarness → awareness). */
  private correctEnglish(word: string): string | undefined {
    if (word.length < 5 || english(word)) return undefined;
    for (const candidate of englishWords) {
      if (Math.abs(candidate.length - word.length) <= 1 && editDistance(word, candidate, 1) <= 1)
        return candidate;
    }
    return undefined;
  }

  private idf(term: string): number {
    const df = this.postings.count(term);
    const n = this.passages.length;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  private maxIdf(): number {
    return Math.log(1 + (this.passages.length + 0.5) / 0.5);
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
        const compound = this.composeCompound(english(a) ?? [], english(b) ?? []);
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
        // "e-mail" and "email" are one word
        const translated = english(token);
        if (translated) for (const w of translated) alternatives.push(...this.svAlternatives(w, 1));
        alternatives.push({ term: stemEn(token), weight: 0.8 }, { term: sv, weight: 0.8 });
        // a loanword the list does not translate, as the documents spell it (classification → klassificering)
        if (!translated) {
          for (const w of swedishCognates(token)) {
            const term = stemSv(w);
            if (this.has(term)) alternatives.push({ term, weight: 0.8 });
          }
        }
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
      // a word no document uses: the thesaurus's synonyms that the documents do use (weak: they rank, but the
      // decision still counts the word as unknown)
      let weak = false;
      if (language === 'sv' && !parts && !alternatives.some((a) => this.has(a.term))) {
        for (const w of this.knownSynonyms(token)) {
          alternatives.push(...this.svAlternatives(w, THESAURUS_WEIGHT));
          weak = true;
        }
      }
      if (language === 'en' && !alternatives.some((a) => this.has(a.term))) {
        for (const synonym of englishSynonyms(token)) {
          for (const w of english(synonym) ?? [])
            alternatives.push(...this.svAlternatives(w, THESAURUS_WEIGHT));
          weak = true;
        }
      }
      if (parts && parts.length > 1 && !this.has(sv)) {
        // a compound the documents do not use as such: each part is its own concept
        for (const part of parts) {
          const partAlternatives: Alternative[] = [{ term: part, weight: 0.9 }];
          for (const w of svSynonyms[part] ?? synonymsOfStem(part) ?? enToSv[part] ?? [])
            partAlternatives.push(...this.svAlternatives(w, 0.8));
          const partWeak =
            !partAlternatives.some((a) => this.has(a.term)) && !alternatives.some((a) => this.has(a.term));
          if (partWeak)
            for (const w of this.knownSynonyms(part))
              partAlternatives.push(...this.svAlternatives(w, THESAURUS_WEIGHT));
          groups.push({
            token: `${token}:${part}`,
            alternatives: dedupe([...alternatives, ...partAlternatives]),
            weak: partWeak,
          });
        }
        return;
      }
      if (parts) for (const part of parts) alternatives.push({ term: part, weight: 0.6 });
      groups.push({ token, alternatives: dedupe(alternatives), soft: SOFT_WORDS.has(token), weak });
    });
    return { groups: groups.filter((g) => g.alternatives.length > 0), language };
  }

  /** The thesaurus's synonyms of a word that the documents use (single words, the first few). */
  private knownSynonyms(word: string): string[] {
    return thesaurusSv(word)
      .filter((w) => !w.includes(' ') && this.has(stemSv(w.toLowerCase())))
      .slice(0, MAX_THESAURUS_SYNONYMS)
      .map((w) => w.toLowerCase());
  }

  /** A stop word that still steers the answer, as a light group; undefined for the others. */
  private lightGroup(token: string, language: Language): Group | undefined {
    const words = language === 'en' ? enToSv[token] : (LIGHT_WORDS[token] ?? svSynonyms[token] ?? undefined);
    if (!words) return undefined;
    if (words.every((w) => PHASE_WORDS.has(w))) {
      // a phase (före, under, efter) is what is asked about when a document has phases: a concept of its own
      const alternatives = words.map((term) => ({ term, weight: 1 }));
      return alternatives.some((a) => this.has(a.term)) ? { token, alternatives, soft: true } : undefined;
    }
    const alternatives = dedupe(
      words.flatMap((w) =>
        PHASE_WORDS.has(w) ? [{ term: w, weight: LIGHT_WEIGHT }] : this.svAlternatives(w, LIGHT_WEIGHT),
      ),
    );
    return alternatives.some((a) => this.has(a.term)) ? { token, alternatives, light: true } : undefined;
  }

  /**
   * Organisations named in the question: known ones (to prefer) and unknown ones (to abstain). A known one named
   * by its whole name ("Region Blekinge") is `exact`; one that only shares a word with it ("Landstinget Blekinge",
   * the same body's former name) is preferred less when another is named exactly.
   */
  organisationsIn(question: string): { known: Set<string>; exact: Set<string>; unknown: string[] } {
    const known = new Set<string>();
    const unknown: string[] = [];
    for (const token of tokenize(question)) {
      for (const org of this.organisationOf(token) ?? []) known.add(org);
    }
    const words = ` ${tokenize(question).map(baseForm).join(' ')} `;
    const exact = new Set(
      [...known].filter((org) => words.includes(` ${tokenize(org).map(baseForm).join(' ')} `)),
    );
    for (const m of question.matchAll(NAMED)) {
      const word = (m[1] ?? m[2] ?? m[3] ?? '').toLowerCase();
      if (!word || this.organisationOf(word)) continue;
      // a name is not a word of the language: "region Blekinge", not "region gäller" or "kommunens egna"
      if (isStopword(word, 'sv') || isStopword(word, 'en') || this.surface.has(word)) continue;
      if (dictionaryWords().has(word) || dictionaryWords().has(word.replace(/s$/, ''))) continue;
      unknown.push(word);
    }
    return { known, exact, unknown };
  }

  /** Whether a question word names an organisation that has documents here (it then steers, not matches). */
  isOrganisationWord(word: string): boolean {
    return this.organisationOf(word) !== undefined;
  }

  search(
    question: string,
    options: RankOptions = defaultRankOptions,
    calibration: DecisionCalibration = defaultCalibration,
  ): SearchResult {
    const { groups, language } = this.analyseQuestion(question);
    const intents = intentsOf(question);
    const { known, exact, unknown } = this.organisationsIn(question);
    const none = (reason: SearchResult['reason']): SearchResult => ({
      answers: [],
      confidence: 'none',
      abstained: true,
      reason,
      language,
      intents,
      unknownOrganisations: unknown,
    });
    if (groups.every((g) => g.light) || this.passages.length === 0) return none('empty');
    if (unknown.length > 0 && known.size === 0) return none('other-organisation');

    const { scores, covered, inHeading, touched, seen } = this;
    const { bestIdf, coveredMask } = this;
    const { entry: postingEntry, start: postingStart } = this.postings;
    let touchedCount = 0;
    try {
      // The concepts, rarest first (light words last), each with the alternatives that some passage uses, rarest
      // first. What a concept weighs in coverage is known before any posting is read.
      const plan = groups
        .map((group) => {
          const alternatives: PlannedAlternative[] = [];
          let groupIdf = 0;
          let size = 0;
          for (const alternative of group.alternatives) {
            const id = this.postings.id(alternative.term);
            if (id === undefined) continue;
            const idf = this.idf(alternative.term);
            groupIdf = Math.max(groupIdf, idf * alternative.weight);
            const count = (postingStart[id + 1] as number) - (postingStart[id] as number);
            size += count;
            alternatives.push({
              id,
              weight: alternative.weight,
              idf,
              count,
              bound: alternative.weight * idf * (this.termImpact[id] as number),
            });
          }
          alternatives.sort((a, b) => a.count - b.count);
          const counts = !group.light && !group.weak && groupIdf > 0;
          return { group, alternatives, groupIdf, size, counts };
        })
        .sort((a, b) => Number(a.group.light) - Number(b.group.light) || a.size - b.size);
      let knownIdf = 0;
      let knownConcepts = 0;
      let unknownConcepts = 0;
      for (const { group, groupIdf, counts } of plan) {
        if (counts) {
          knownIdf += groupIdf;
          knownConcepts++;
        } else if (!group.soft && (group.weak || (!group.light && groupIdf === 0))) unknownConcepts++;
      }
      const concepts = knownConcepts + unknownConcepts;
      if (knownConcepts === 0) return none(concepts === 0 ? 'empty' : 'no-match');
      // an unknown concept weighs as much as a typical known concept of the question
      const totalIdf = knownIdf + unknownConcepts * (knownIdf / knownConcepts) * options.unknownWeight;
      const organisationFactor = this.organisationFactors(known, exact);
      const boosts = this.intentBoosts(intents);
      const pruning = options.prune
        ? this.pruning(plan, intents, boosts, organisationFactor, totalIdf, options)
        : undefined;
      // Top-k pruning, exact (MaxScore's idea, term at a time): before each concept is walked, once the most that a
      // passage not yet met could still score from the alternatives left falls below the least a shown passage must
      // score (the fill cutoff of a lower bound of the best), the walk stops taking in new passages and only
      // completes the scores of those it has met. A question's common words ("säkerhet", "skydd") then add no
      // passages to rank.
      let theta = 0;
      /** the least the best passage will score in the end (see pruning), kept as the concepts are added */
      let lower = 0;
      let continuing = false;
      // the sections whose headings name a concept are always walked: the bound leaves headings out
      const { sectionNamed, entrySection } = this;
      const named = pruning ? this.nextStamp() : 0;
      if (pruning)
        for (const { group, counts } of plan) if (counts) this.markHeadings(group, sectionNamed, named);
      let bit = 1;
      for (let g = 0; g < plan.length; g++) {
        const { group, alternatives, groupIdf, counts } = plan[g] as PlannedGroup;
        const stamp = this.nextStamp();
        const k = alternatives.length;
        // the alternatives before `full` take in passages not met before; the rest only complete those met (above)
        let full = continuing ? 0 : k;
        if (pruning && !continuing) {
          theta = pruning.cut * lower;
          for (let a = 0; a < k; a++) {
            if (pruning.bound(g, a) < theta) {
              full = a;
              continuing = true;
              break;
            }
          }
        }
        const mask = bit;
        if (counts) {
          if (bit !== 1 << 31) bit <<= 1;
          this.markHeadings(group, this.sectionStamp, stamp);
        }
        // The alternatives' postings, merged in entry order (each is in increasing order): per passage, the concept
        // scores as its best-scoring alternative and is covered as its best-covering one, in one pass.
        const at = Int32Array.from(alternatives, (a) => postingStart[a.id] as number);
        const end = Int32Array.from(alternatives, (a) => postingStart[a.id + 1] as number);
        const weights = Float64Array.from(alternatives, (a) => a.weight);
        const idfs = Float64Array.from(alternatives, (a) => a.idf);
        for (;;) {
          let entry = NO_ENTRY;
          for (let a = 0; a < k; a++) {
            if ((at[a] as number) < (end[a] as number)) {
              const next = postingEntry[at[a] as number] as number;
              if (next < entry) entry = next;
            }
          }
          if (entry === NO_ENTRY) break;
          let score = 0;
          let share = 0;
          let fresh = false;
          const norm = this.entryNorm[entry] as number;
          for (let a = 0; a < k; a++) {
            const p = at[a] as number;
            if (p >= (end[a] as number) || postingEntry[p] !== entry) continue;
            at[a] = p + 1;
            const tf = this.postings.weightAt(p);
            const weight = weights[a] as number;
            const s = (weight * (idfs[a] as number) * (tf * (K1 + 1))) / (tf + norm);
            if (s > score) score = s;
            // a concept met in a heading or as a compound's part (tf 0.5) is covered; in the title only partly
            const covers = weight * Math.min(tf / 0.5, 1);
            if (covers > share) share = covers;
            if (a < full) fresh = true;
          }
          if (!seen[entry]) {
            if (!fresh && sectionNamed[entrySection[entry] as number] !== named) continue;
            seen[entry] = 1;
            touched[touchedCount++] = entry;
          }
          scores[entry] = (scores[entry] as number) + score;
          // light words and thesaurus-only concepts rank, and never count in coverage
          if (!counts) continue;
          if (this.sectionStamp[entrySection[entry] as number] === stamp) {
            inHeading[entry] = (inHeading[entry] as number) + groupIdf;
            this.headingHits[entry] = (this.headingHits[entry] as number) + 1;
          }
          share = Math.min(share, 1);
          covered[entry] = (covered[entry] as number) + groupIdf * share;
          if (pruning) {
            // the fixed factors are at most `most`: only a passage that could beat the best so far is looked up
            const value = (scores[entry] as number) * (0.5 + (covered[entry] as number) / totalIdf);
            if (value * pruning.most > lower) lower = Math.max(lower, value * pruning.fixed(entry));
          }
          if (share >= 0.5) coveredMask[entry] = (coveredMask[entry] as number) | mask;
          if (groupIdf * share > (bestIdf[entry] as number)) bestIdf[entry] = groupIdf * share;
        }
      }
      // many passages met: in entry order, which the per-entry arrays are read in faster than in the order met
      if (touchedCount * 8 > this.passages.length) {
        let t = 0;
        for (let e = 0; e < seen.length; e++) if (seen[e]) touched[t++] = e;
      }
      const ranked = this.rank(
        question,
        touched.subarray(0, touchedCount),
        { total: totalIdf, known: knownIdf },
        intents,
        boosts,
        organisationFactor,
        continuing ? theta : 0,
        options,
      );
      const top = ranked.answers[0];
      const signals: DecisionSignals = {
        concepts,
        unknownConcepts,
        knownCoverage: top?.knownCoverage ?? 0,
        coverage: top?.coverage ?? 0,
        margin: ranked.margin,
        agreement: ranked.agreement,
        specificity: ranked.specificity,
        answerTypeMissing:
          ranked.answerTypeMissing ||
          (top !== undefined &&
            !holdsAnswerType(
              question,
              ranked.answers.map((a) => a.passage.text),
            )),
        otherOrganisation: false,
        candidates: ranked.answers.length,
      };
      const decision = decide(signals, calibration);
      if (decision.confidence === 'none')
        return {
          ...none(
            decision.reason === 'covered' || decision.reason === 'partly-covered'
              ? 'no-match'
              : decision.reason,
          ),
          signals,
          scored: touchedCount,
        };
      return {
        signals,
        scored: touchedCount,
        answers: ranked.answers,
        confidence: decision.confidence,
        abstained: false,
        language,
        intents,
        unknownOrganisations: unknown,
      };
    } finally {
      for (let i = 0; i < touchedCount; i++) {
        const entry = touched[i] as number;
        scores[entry] = 0;
        covered[entry] = 0;
        inHeading[entry] = 0;
        this.headingHits[entry] = 0;
        seen[entry] = 0;
        bestIdf[entry] = 0;
        coveredMask[entry] = 0;
      }
    }
  }

  /** What each of the entries' intent masks earns for this question's intents (see IntentBoosts). */
  private intentBoosts(intents: Intent[]): IntentBoosts {
    return {
      boost: Float64Array.from(this.intentMasks, (mask) => intentBoostOf(intents, mask)),
      heading: Uint8Array.from(this.intentMasks, (mask) => Number(headingIntents(intents, mask))),
    };
  }

  /**
   * Per document: 0 when the question names another organisation, more when it names the document's own (less when
   * it only shares a word with the one the question names in full), 1 when it names none.
   */
  private organisationFactors(known: Set<string>, exact: Set<string>): Float32Array {
    const factors = new Float32Array(this.documents.length).fill(1);
    if (known.size === 0) return factors;
    this.documents.forEach((document, d) => {
      const org = document.organisation;
      if (org) factors[d] = !known.has(org) ? 0 : exact.size > 0 && !exact.has(org) ? 1.3 : 1.6;
    });
    return factors;
  }

  /**
   * The two sides of the exact pruning in search, for one question:
   * - `bound(g, a)`: the most a passage can score in the end (rank's final score) from the concepts' alternatives
   *   from alternative a of concept g on, in the walk's order, if it has met none of them before and its section's
   *   heading names none of the concepts (those sections are always walked): their BM25 at their terms' highest
   *   impact, the coverage they could add, the highest intent boost and organisation factor, and the heading share
   *   an intent heading ("Ansvar") could give;
   * - the least the best passage will score in the end, from what a passage met so far has scored (every factor only
   *   grows as concepts are added; headings are counted as adding nothing): search keeps it as each concept is added,
   *   from the factors that do not grow (`fixed`, at most `most`).
   * A passage the bound leaves out scores below `cut` × the best, and every passage shown or weighed scores above it.
   */
  private pruning(
    plan: PlannedGroup[],
    intents: Intent[],
    boosts: IntentBoosts,
    organisationFactor: Float32Array,
    totalIdf: number,
    options: RankOptions,
  ) {
    let most = 0;
    for (const boost of boosts.boost) most = Math.max(most, boost);
    let factor = 0;
    for (const f of organisationFactor) factor = Math.max(factor, f);
    most *= factor;
    const coverageOf = ({ alternatives, groupIdf, counts }: PlannedGroup, from: number): number =>
      counts ? groupIdf * Math.min(1, Math.max(0, ...alternatives.slice(from).map((a) => a.weight))) : 0;
    const scoreOf = ({ alternatives }: PlannedGroup, from: number): number =>
      Math.max(0, ...alternatives.slice(from).map((a) => a.bound));
    // what the concepts after g could add: score, and coverage (idf × best alternative weight)
    const after = plan.map(() => ({ score: 0, coverage: 0 }));
    for (let g = plan.length - 2; g >= 0; g--) {
      const next = plan[g + 1] as PlannedGroup;
      const sums = after[g + 1] as { score: number; coverage: number };
      after[g] = { score: sums.score + scoreOf(next, 0), coverage: sums.coverage + coverageOf(next, 0) };
    }
    const person = asksForPerson(intents);
    /** The final score's factors that do not grow with the concepts met. */
    const fixed = (entry: number): number => {
      let factor =
        (organisationFactor[this.entryDocument[entry] as number] as number) *
        (boosts.boost[this.entryMask[entry] as number] as number);
      if (!person) {
        const length = this.entryLength[entry] as number;
        if (length < options.shortPassageWords) factor *= Math.sqrt(length / options.shortPassageWords);
        if (!((this.entryFlags[entry] as number) & ENDS_SENTENCE)) factor *= options.fragmentFactor;
      }
      return factor;
    };
    return {
      cut: Math.min(options.fillCutoff, options.relativeCutoff),
      bound: (g: number, a: number): number => {
        const group = plan[g] as PlannedGroup;
        const rest = after[g] as { score: number; coverage: number };
        const coverage = (rest.coverage + coverageOf(group, a)) / totalIdf;
        const heading = Math.min(1, options.intentHeadingShare * coverage * coverage);
        return (
          (rest.score + scoreOf(group, a)) *
          most *
          (0.5 + coverage) *
          (1 + options.headingBoost * heading) *
          (1 + options.leadBoost * heading)
        );
      },
      most,
      fixed,
    };
  }

  /** Marks the sections whose headings name the concept (by an alternative weighing 0.6 or more) with `stamp`. */
  private markHeadings(group: Group, marks: Uint32Array, stamp: number): void {
    for (const alternative of group.alternatives) {
      if (alternative.weight < 0.6) continue;
      const id = this.headings.id(alternative.term);
      if (id === undefined) continue;
      const end = this.headings.start[id + 1] as number;
      for (let p = this.headings.start[id] as number; p < end; p++)
        marks[this.headings.entry[p] as number] = stamp;
    }
  }

  /** A new mark for the per-section scratch arrays (cleared when the counter wraps). */
  private nextStamp(): number {
    if (this.stamp === 0xffffffff) {
      this.stamp = 0;
      this.sectionStamp.fill(0);
      this.sectionNamed.fill(0);
    }
    return ++this.stamp;
  }

  /**
   * Final scores of the touched entries: coverage, intent, heading, length and organisation; best per document.
   * Also the signals the decision reads beside coverage: the margin to the best passage of another section,
   * whether the runners-up agree with the best, how specific the best passage's matched words are.
   * `theta` > 0: the walk left out passages, all scoring below it (see search).
   */
  private rank(
    question: string,
    touched: Uint32Array,
    idf: { total: number; known: number },
    intents: Intent[],
    boosts: IntentBoosts,
    organisationFactor: Float32Array,
    theta: number,
    options: RankOptions,
  ): {
    answers: RankedPassage[];
    margin: number;
    agreement: number;
    specificity: number;
    answerTypeMissing: boolean;
  } {
    const { scores, covered, inHeading, documentBest } = this;
    const totalIdf = idf.total;
    const final = this.final;
    const answering: number[] = [];
    const person = asksForPerson(intents);
    const nothing = { answers: [], margin: 1, agreement: 0, specificity: 0, answerTypeMissing: false };
    try {
      for (let t = 0; t < touched.length; t++) {
        const entry = touched[t] as number;
        const d = this.entryDocument[entry] as number;
        const factor = organisationFactor[d] as number;
        if (factor === 0) {
          // a question that names an organisation is answered from its documents (or from ones that name none)
          final[entry] = Number.NEGATIVE_INFINITY;
          continue;
        }
        const coverage = (covered[entry] as number) / totalIdf;
        const flags = this.entryFlags[entry] as number;
        const length = this.entryLength[entry] as number;
        const mask = this.entryMask[entry] as number;
        const boost = boosts.boost[mask] as number;
        let score = (scores[entry] as number) * boost * (0.5 + coverage) * factor;
        // a section whose heading names what is asked about answers it ("2.2 Informationssäkerhetssamordnare")
        // … the more so the less else the heading names ("Krisberedskap" rather than "Mål för krisberedskapen")
        const headingWords = this.sectionWords[this.entrySection[entry] as number] as number;
        const precision =
          headingWords > 0 ? Math.min(1, (this.headingHits[entry] as number) / headingWords) : 1;
        let headingShare = ((inHeading[entry] as number) / totalIdf) * Math.sqrt(precision);
        // a heading that names what kind of answer is wanted ("Genomförande" for "hur ska vi jobba med …"), in so
        // far as the passage is about what is asked
        if (boosts.heading[mask])
          headingShare = Math.min(1, headingShare + options.intentHeadingShare * coverage * coverage);
        score *= 1 + options.headingBoost * headingShare;
        if (flags & LEAD && headingShare > 0) score *= 1 + options.leadBoost * headingShare;
        // very short passages (signatures, lone headings) win on length alone; they answer only "who is …"
        if (!person) {
          if (length < options.shortPassageWords) score *= Math.sqrt(length / options.shortPassageWords);
          // a fragment that is not a sentence (a reference line, a letterhead) answers less than a sentence does
          if (!(flags & ENDS_SENTENCE)) score *= options.fragmentFactor;
        }
        final[entry] = score;
        const current = documentBest[d] as number;
        if (current < 0) answering.push(d);
        // of equal scores, the earlier passage: the same whichever passage the walk met first
        if (
          current < 0 ||
          score > (final[current] as number) ||
          (score === final[current] && entry < current)
        )
          documentBest[d] = entry;
      }
      const view = (entry: number): RankedPassage => ({
        passage: this.passages[entry] as Passage,
        document: this.documents[this.entryDocument[entry] as number] as DocumentRecord,
        score: final[entry] as number,
        coverage: (covered[entry] as number) / totalIdf,
        knownCoverage: (covered[entry] as number) / idf.known,
      });
      const bestOf = (d: number) => final[documentBest[d] as number] as number;
      // a question only a date or a name answers: show the document's passage that holds one, or none
      const wantsDate = EXPLICIT_DATE.test(question);
      const wantsName = !wantsDate && EXPLICIT_NAME.test(question);
      const fits = (text: string) => (wantsDate ? DATE_TEXT.test(text) : personLine(text));
      const answers: RankedPassage[] = [];
      const entries: number[] = [];
      let typeMissing = false;
      // the documents best first, picked one at a time: only the first few are ever looked at
      const pool = new BestFirst(answering, bestOf);
      for (let d = pool.next(); d >= 0; d = pool.next()) {
        const top = answers[0];
        // the documents come best first: once one falls below the cutoff, so do the rest
        if (top && bestOf(d) < top.score * options.relativeCutoff) break;
        let candidate = view(documentBest[d] as number);
        if ((wantsDate || wantsName) && !fits(candidate.passage.text)) {
          const adopted = candidate.document.adoptedDate;
          const holders = (this.documentEntries[d] as number[])
            .map((entry) => this.passages[entry] as Passage)
            .filter((p) => fits(p.text));
          // the passage that states the adoption date the metadata names, else the first that states a date
          const holder =
            (wantsDate && adopted ? holders.find((p) => p.text.includes(adopted)) : undefined) ?? holders[0];
          if (!holder) {
            typeMissing = true;
            continue;
          }
          candidate = { ...candidate, passage: holder };
        }
        if (!top || candidate.knownCoverage >= options.minCoverage) {
          answers.push(candidate);
          entries.push(documentBest[d] as number);
        }
        if (answers.length >= options.maxAnswers) break;
      }
      const top = answers[0];
      if (!top) return { ...nothing, answerTypeMissing: typeMissing };
      if (!wantsDate && !wantsName && answers.length < options.maxAnswers) {
        // the next-best passages of the answering documents (see fillFromSameDocuments)
        const candidates: RankedPassage[] = [];
        for (const answer of answers) {
          for (const entry of this.documentEntries[this.documentIndex.get(answer.document.id) as number] ??
            []) {
            if (
              this.seen[entry] &&
              (final[entry] as number) >= top.score * options.fillCutoff &&
              (covered[entry] as number) / idf.known >= options.minCoverage
            )
              candidates.push(view(entry));
          }
        }
        fillFromSameDocuments(answers, candidates, options.maxAnswers);
      }
      // the margin: the best passage against the best of any other section
      const topEntry = entries[0] as number;
      const topSection = this.entrySection[topEntry] as number;
      let rival = 0;
      for (let t = 0; t < touched.length; t++) {
        const entry = touched[t] as number;
        if (this.entrySection[entry] === topSection) continue;
        const score = final[entry] as number;
        if (score > rival) rival = score;
      }
      // agreement: the runners-up shown come from the best passage's section, or cover the same concepts
      const topMask = this.coveredMask[topEntry] as number;
      const runners = answers.slice(1);
      const agreeing = runners.filter((a) => {
        const entry = this.passageEntry(a.passage);
        if (entry === undefined) return false;
        return (
          this.entrySection[entry] === topSection || (topMask !== 0 && this.coveredMask[entry] === topMask)
        );
      }).length;
      return {
        answers,
        // when the walk left passages out (theta > 0), the rival may be one of them, which all score below theta:
        // the margin is then at least top / theta (≥ 1 / the fill cutoff), and is given as that
        margin: rival < theta ? top.score / theta : rival > 0 ? top.score / rival : Number.POSITIVE_INFINITY,
        agreement: runners.length > 0 ? agreeing / runners.length : 1,
        specificity: (this.bestIdf[topEntry] as number) / this.maxIdf(),
        answerTypeMissing: false,
      };
    } finally {
      for (const d of answering) documentBest[d] = -1;
    }
  }

  /** The entry of a passage shown (by its position among its document's passages). */
  private passageEntry(passage: Passage): number | undefined {
    const d = this.documentIndex.get(passage.documentId);
    if (d === undefined) return undefined;
    return (this.documentEntries[d] as number[]).find((entry) => this.passages[entry] === passage);
  }
}

/** "Region X", "X kommun", "Xregionen": where a question names an organisation. */
const NAMED = letterAware(
  /\b(?:region|regionen|landstinget|landsting)\s+(\p{L}+)|\b(\p{L}+)\s+(?=(?:kommun|stad|region|county|municipality)\b)|\b(\p{L}+)regionen\b/giu,
);

/** A name's word without its genitive s ("Blekinges" → "blekinge"), for comparing names. */
const baseForm = (word: string): string => (word.length > 3 ? word.replace(/s$/, '') : word);

/** Questions that ask for a phone number or an e-mail address, and the text that holds one. */
const ASKS_PHONE =
  /\b(telefonnummer\w*|telefonnr|tel\.? ?nr|numret|vilket nummer|ringer jag|phone numbers?|telephone|what number|which number)\b/i;
const PHONE_TEXT =
  /\b\d{2,4}[- ]?\d{2,3}(?:[ -]?\d{2}){1,3}\b|\b(?:internnummer|telefon|tel\.?|ring|nummer) \d{3,}\b|\b112\b/i;
const ASKS_EMAIL =
  /\b(e-?postadress\w*|mejladress\w*|mailadress\w*|e-?mail address(?:es)?|email address(?:es)?)\b/i;
const EMAIL_TEXT = /[\p{L}\d._-]+@[\p{L}\d.-]+\.[a-z]{2,}/iu;

/** Whether the passages can hold the kind of answer asked for (a phone number, an e-mail address); true when no kind is asked for. */
export function holdsAnswerType(question: string, texts: string[]): boolean {
  if (ASKS_PHONE.test(question) && !texts.some((t) => PHONE_TEXT.test(t))) return false;
  if (ASKS_EMAIL.test(question) && !texts.some((t) => EMAIL_TEXT.test(t))) return false;
  return true;
}

/**
 * The candidates best first, one at a time: a binary heap, built in linear time, so that taking the first
 * few of thousands of answering documents does not scan them all for each. Of equal scores, the lower
 * candidate (the document indexed first) comes first: the order does not depend on which passage the walk met first.
 */
/** The higher score first; of equal scores, the lower candidate. */
const precedes = (score: number, order: number, thanScore: number, thanOrder: number): boolean =>
  score > thanScore || (score === thanScore && order < thanOrder);

class BestFirst {
  private readonly items: Int32Array;
  private readonly scores: Float64Array;
  private readonly order: Int32Array;
  private size: number;

  constructor(candidates: number[], scoreOf: (candidate: number) => number) {
    const n = candidates.length;
    this.size = n;
    this.items = new Int32Array(n);
    this.scores = new Float64Array(n);
    this.order = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const candidate = candidates[i] as number;
      this.items[i] = candidate;
      this.scores[i] = scoreOf(candidate);
      this.order[i] = candidate;
    }
    for (let i = (this.size >> 1) - 1; i >= 0; i--) this.down(i);
  }

  /** The best remaining candidate, or -1 when none is left. */
  next(): number {
    if (this.size === 0) return -1;
    const best = this.items[0] as number;
    this.size--;
    if (this.size > 0) {
      this.move(this.size, 0);
      this.down(0);
    }
    return best;
  }

  /** Whether slot a's candidate comes before slot b's. */
  private before(a: number, b: number): boolean {
    return precedes(
      this.scores[a] as number,
      this.order[a] as number,
      this.scores[b] as number,
      this.order[b] as number,
    );
  }

  private move(from: number, to: number): void {
    this.items[to] = this.items[from] as number;
    this.scores[to] = this.scores[from] as number;
    this.order[to] = this.order[from] as number;
  }

  private down(at: number): void {
    const item = this.items[at] as number;
    const score = this.scores[at] as number;
    const order = this.order[at] as number;
    let i = at;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= this.size) break;
      const right = left + 1;
      const child = right < this.size && this.before(right, left) ? right : left;
      if (!precedes(this.scores[child] as number, this.order[child] as number, score, order)) break;
      this.move(child, i);
      i = child;
    }
    this.items[i] = item;
    this.scores[i] = score;
    this.order[i] = order;
  }
}

/**
 * When fewer documents answer than there are slots, the next-best passages of the answering documents fill
 * them — often a sibling of the best passage in the same section (the section's list goes on), or another
 * section — never one that repeats a sentence already shown.
 */
function fillFromSameDocuments(answers: RankedPassage[], candidates: RankedPassage[], slots: number): void {
  candidates.sort((a, b) => b.score - a.score);
  for (const candidate of candidates) {
    if (answers.length >= slots) break;
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
