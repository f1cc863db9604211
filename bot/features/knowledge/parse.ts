/**
 * From extracted text to structure: headings (numbered "2.2 Principer för …" and unnumbered),
 * paragraphs and list items, and the metadata the text carries. Built for text that came out of
 * PDFs: broken lines, lost or odd bullet glyphs, blank lines inside sentences, hyphenated words
 * split across lines, headings glued to their text. Also reads Markdown headings and lists.
 */
import { dictionaryWords } from './analysis';
import { letterAware } from './letters';
import type { Block, DocumentMetadata, DocumentType, ParsedDocument } from './model';

const BULLET = /^(?:[•◦▪▫●○■□➢➤►✓✔·*–—-]|o(?=\s))\s*(?=\S)/u;
const TERMINAL = /[.!?:;]["”’)]?$/;
const MD_HEADING = /^(#{1,6})\s+(.*?)\s*#*$/;
const NUMBERED = /^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(\S.*)$/u;
const ORDERED_ITEM = /^(?:\d{1,2}|[a-z])[.)]\s+(\S.*)$/u;
const DEFINITION = /^(\p{Lu}[\p{L}-]{2,}(?:\s[\p{L}-]+){0,2})(?:\s{2,}|\t+)(\S.*)$/u;
const CONTINUES_HYPHEN = /^(?:och|eller|samt|respektive|resp|and|or)\b/i;

const wordCount = (s: string) => (s.match(/\S+/g) ?? []).length;
const startsUpper = (s: string) => /^[\p{Lu}\d"”«]/u.test(s);
const startsLower = (s: string) => /^\p{Ll}/u.test(s);

interface Line {
  text: string;
  blankBefore: boolean;
}

/** Normalises extracted text: line ends, odd spaces, private-use bullet glyphs (Symbol font). */
export function normaliseText(raw: string): string {
  return raw
    .replace(/\r\n?/g, '\n')
    .replace(/[\u00a0\u2000-\u200a\u202f\u205f\u3000]/g, ' ')
    .replace(/[\u200b-\u200d\ufeff]/g, '')
    .replace(/[\uf000-\uf8ff]/g, '•')
    .replace(/\u00ad/g, '');
}

/** Page furniture of extracted PDFs: page numbers ("Sida 2 av 7", "3 (12)") and table-of-contents dot leaders. */
const PAGE_FURNITURE =
  /^(?:(?:sida|page)\s+\d+(?:\s*(?:av|of|\/)\s*\d+)?|\d+\s*(?:\(\d+\)|av\s+\d+|\/\s*\d+))$|\.{5,}\s*\d+$/i;

function toLines(text: string): Line[] {
  const lines: Line[] = [];
  let blank = true;
  for (const raw of normaliseText(text).split('\n')) {
    const trimmed = raw.replace(/\s+$/, '').replace(/^\s+/, '');
    if (trimmed === '' || PAGE_FURNITURE.test(trimmed)) {
      blank = true;
      continue;
    }
    // keep inner runs of 2+ spaces: they separate a term from its definition
    lines.push({ text: trimmed.replace(/(\S) (?=\S)/g, '$1 '), blankBefore: blank });
    blank = false;
  }
  return lines;
}

const isShort = (text: string) => wordCount(text) <= 9 && text.length <= 80;
const looksLikeHeadingText = (text: string) =>
  isShort(text) &&
  startsUpper(text) &&
  !TERMINAL.test(text) &&
  !/[,]$/.test(text) &&
  !/\s{2,}/.test(text) &&
  !/\p{L}-$/u.test(text);

function isBody(line: Line | undefined): boolean {
  if (!line) return false;
  const text = line.text;
  return (
    !isShort(text) ||
    BULLET.test(text) ||
    ORDERED_ITEM.test(text) ||
    /[.!?:;](?:\s|$)/.test(text) ||
    wordCount(text) > 6
  );
}

/** Joins a continuation line onto a block's text, mending words hyphenated across lines. */
function join(previous: string, next: string): string {
  if (/\p{L}-$/u.test(previous) && startsLower(next) && !CONTINUES_HYPHEN.test(next)) {
    return previous.slice(0, -1) + next;
  }
  return `${previous} ${next}`;
}

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The words that name a governing document's kind, as they begin or end a title. */
const TYPE_IN_TITLE =
  /(?:policy|riktlinje|rutin|strategi|handlingsplan|tillämpningsanvisning|instruktion|reglemente|anvisning|guideline|program|^regler\b|handbok)/i;

/** Whether number `child` ("2.1") sits directly under `parent` ("2"). */
/** Finite verbs that make a short line a sentence rather than a heading ("Denna policy är beslutad av …"). */
const SENTENCE_VERB =
  /\s(?:är|var|ska|skall|har|hade|kan|får|måste|bör|sker|gäller|beslutad|beslutades|fastställd|fastställdes|antagen|antogs|is|are|was|shall|must|has)\s/i;
const QUESTION_HEADING = /^(?:vad|hur|vem|vilka|vilken|varför|när|what|how|who|why|when)\s/i;
const nounPhrase = (text: string) => !SENTENCE_VERB.test(` ${text} `) || QUESTION_HEADING.test(text);

const isChildNumber = (parent: string, child: string) =>
  child.startsWith(`${parent}.`) && child.split('.').length === parent.split('.').length + 1;

export function parseText(raw: string): ParsedDocument {
  const lines = toLines(raw);
  // Markdown says where its headings are; only plain (PDF-extracted) text needs them guessed.
  const explicitHeadings = /^#{1,6}\s/m.test(raw);
  const blocks: Block[] = [];
  let open: Block | undefined; // paragraph or item that may continue

  const push = (block: Block) => {
    blocks.push(block);
    open = block.kind === 'heading' ? undefined : block;
  };

  /** Line j with the lower-case lines that continue it (a sentence broken by the PDF). */
  const logicalAt = (j: number): Line | undefined => {
    const line = lines[j];
    if (!line) return undefined;
    let text = line.text;
    for (let k = j + 1; k < lines.length && k < j + 4; k++) {
      const next = (lines[k] as Line).text;
      if (!startsLower(next) || BULLET.test(next)) break;
      text = join(text, next);
    }
    return { text, blankBefore: line.blankBefore };
  };
  /** A bullet glyph in front of a heading (PDFs style sub-area headings as list items). */
  const bulletHeadingAt = (j: number): boolean => {
    const line = lines[j];
    const next = lines[j + 1];
    const bullet = line ? BULLET.exec(line.text) : null;
    if (!line || !bullet || !next || explicitHeadings) return false;
    return (
      looksLikeHeadingText(collapse(line.text.slice(bullet[0].length))) &&
      !BULLET.test(next.text) &&
      startsUpper(next.text) &&
      isBody(logicalAt(j + 1))
    );
  };
  const bodyAt = (j: number): boolean => isBody(logicalAt(j)) && !bulletHeadingAt(j);
  /** Heading-like text followed by body, or by one more heading-like line that is followed by body. */
  const headingAt = (j: number): 'single' | 'chain' | undefined => {
    const line = lines[j];
    const next = lines[j + 1];
    if (
      !line ||
      !looksLikeHeadingText(line.text) ||
      !nounPhrase(line.text) ||
      (next && startsLower(next.text))
    )
      return undefined;
    if (bodyAt(j + 1)) return 'single';
    const after = lines[j + 2];
    if (!next || /\d/.test(line.text)) return undefined;
    if (
      bulletHeadingAt(j + 1) ||
      (after &&
        looksLikeHeadingText(next.text) &&
        nounPhrase(next.text) &&
        !NUMBERED.test(next.text) &&
        !startsLower(after.text) &&
        !BULLET.test(after.text) &&
        bodyAt(j + 2))
    ) {
      return 'chain';
    }
    return undefined;
  };

  let sawBody = false;
  let sawTitle = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as Line;
    const next = lines[i + 1];
    const text = line.text;

    const md = MD_HEADING.exec(text);
    if (md) {
      push({ kind: 'heading', level: (md[1] as string).length, text: collapse(md[2] as string) });
      continue;
    }

    // The document's title: a short line near the top that names the document's kind.
    if (
      !explicitHeadings &&
      !sawBody &&
      !sawTitle &&
      i < 8 &&
      looksLikeHeadingText(text) &&
      nounPhrase(text) &&
      TYPE_IN_TITLE.test(text) &&
      !NUMBERED.test(text)
    ) {
      sawTitle = true;
      push({ kind: 'heading', level: 1, text: collapse(text) });
      continue;
    }

    // A line starting in lower case, or after a block that has not ended its sentence, continues it
    // (PDF extraction breaks lines, and sometimes puts blank lines inside a sentence).
    if (
      open &&
      !BULLET.test(text) &&
      (startsLower(text) || (!TERMINAL.test(open.text) && !line.blankBefore && !NUMBERED.test(text)))
    ) {
      if (startsLower(text) || !headingAt(i)) {
        open.text = join(open.text, collapse(text));
        continue;
      }
    }

    const bullet = BULLET.exec(text);
    if (bullet) {
      const previous = blocks.at(-1);
      if (bulletHeadingAt(i) && previous?.kind !== 'item' && !(previous && /:$/.test(previous.text))) {
        push({ kind: 'heading', level: 3, text: collapse(text.slice(bullet[0].length)) });
        continue;
      }
      push({ kind: 'item', text: collapse(text.slice(bullet[0].length)) });
      sawBody = true;
      continue;
    }

    const numbered = NUMBERED.exec(text);
    const nextNumber = next ? NUMBERED.exec(next.text)?.[1] : undefined;
    const nextIsNumbered = next !== undefined && (nextNumber !== undefined || ORDERED_ITEM.test(next.text));
    if (!explicitHeadings && numbered && looksLikeHeadingText(collapse(numbered[2] as string))) {
      const number = numbered[1] as string;
      const opensSection =
        nextNumber !== undefined &&
        isChildNumber(number, nextNumber) &&
        next !== undefined &&
        looksLikeHeadingText(next.text);
      if (((bodyAt(i + 1) || !next) && !nextIsNumbered) || opensSection) {
        const depth = number.split('.').length;
        push({ kind: 'heading', level: depth + 1, text: collapse(text) });
        continue;
      }
    }

    const ordered = ORDERED_ITEM.exec(text);
    if (ordered) {
      push({ kind: 'item', text: collapse(ordered[1] as string) });
      sawBody = true;
      continue;
    }

    const definition = DEFINITION.exec(text);
    if (definition && wordCount(definition[1] as string) <= 3) {
      push({
        kind: 'item',
        text: `${collapse(definition[1] as string)}: ${collapse(definition[2] as string)}`,
      });
      sawBody = true;
      continue;
    }

    const heading = explicitHeadings ? undefined : headingAt(i);
    if (heading) {
      // an unnumbered heading right over another one is the higher level ("Områden" / "Personsäkerhet")
      push({ kind: 'heading', level: heading === 'chain' ? 2 : 3, text: collapse(text) });
      continue;
    }

    if (
      open &&
      open.kind === 'paragraph' &&
      !line.blankBefore &&
      isShort(text) &&
      isShort(open.text) &&
      !TERMINAL.test(open.text)
    ) {
      // letterheads and signatures: short lines that belong together ("Ärendenummer 2018/00929" / "Dokumentnummer …")
      open.text = join(open.text, collapse(text));
      continue;
    }

    if (open && !line.blankBefore && !TERMINAL.test(open.text)) {
      open.text = join(open.text, collapse(text));
      continue;
    }
    push({ kind: 'paragraph', text: collapse(text) });
    if (!isShort(text) || TERMINAL.test(text)) sawBody = true;
  }
  const cleaned = blocks.filter((b) => b.text.replace(/[^\p{L}\p{N}]/gu, '') !== '');
  return { metadata: extractMetadata(cleaned, raw), blocks: cleaned };
}

// ---------------------------------------------------------------- metadata

const LABELS: [RegExp, keyof DocumentMetadata][] = [
  [/^(?:dokumenttyp|document type)$/i, 'documentType'],
  [/^(?:organisation|organization|myndighet)$/i, 'organisation'],
  [/^(?:fastställd av|beslutad av|antagen av|beslutsinstans|adopted by)$/i, 'adoptedBy'],
  [/^(?:datum|beslutsdatum|fastställd|fastställd datum|antagen|giltig från|date)$/i, 'adoptedDate'],
  [/^(?:diarienummer|dnr|ärendenummer|case number)$/i, 'caseNumber'],
  [/^(?:dokumentägare|ägare|dokumentansvarig|ansvarig|document owner|owner)$/i, 'owner'],
  [
    /^(?:revideras|revidering|nästa revidering|revideringsdatum|nästa översyn|ses över|översyn|review|next review|review date)$/i,
    'nextReview',
  ],
  [/^(?:giltig till|gäller till|gäller t\.o\.m\.|valid until)$/i, 'validUntil'],
  [/^(?:titel|title)$/i, 'title'],
];

const TYPE_WORDS: [RegExp, DocumentType][] = [
  [/tillämpningsanvisning/i, 'tillämpningsanvisning'],
  [/handlingsplan/i, 'handlingsplan'],
  [/riktlinje|^regler\b/i, 'riktlinje'],
  [/rutin/i, 'rutin'],
  [/strategi/i, 'strategi'],
  [/policy/i, 'policy'],
  [/beslut|förslag till beslut|tjänsteskrivelse/i, 'beslut'],
];

export function documentTypeOf(text: string): DocumentType | undefined {
  return TYPE_WORDS.find(([pattern]) => pattern.test(text))?.[1];
}

// a name may begin with Å, Ä or Ö ("Örebro kommun", see letterAware) and be hyphenated ("Upplands-Bro kommun")
const ORGANISATION = letterAware(
  /\b(?:(Region|Landstinget|Landsting) (\p{Lu}\p{L}+(?: \p{Lu}\p{L}+)?)|((?:(?:Västra|Östra|Norra|Södra|Övre|Nedre|Stora|Lilla) )?\p{Lu}\p{L}+(?:-\p{Lu}\p{L}+)?) ([Kk]ommun|[Ss]tad)|(\p{Lu}\p{L}+regionen))\b/gu,
);

/** A word in capitals (a letterhead's "TIMRÅ KOMMUN"). */
const CAPITALS = letterAware(/\b\p{Lu}{2,}\b/gu);

/** The organisation a text speaks for: the one it names most often ("Region Halland"). */
export function organisationOf(raw: string): string | undefined {
  const counts = new Map<string, number>();
  // letterheads in capitals ("VÄSTRA DALBY KOMMUN") read as names
  const text = raw.replace(CAPITALS, (w) => (w.length >= 3 ? w.charAt(0) + w.slice(1).toLowerCase() : w));
  for (const m of text.matchAll(ORGANISATION)) {
    let name: string;
    if (m[1]) {
      // a second capitalised word belongs to the name only if it is no ordinary word ("Region Norrviken Beslutad …")
      const [first, second] = (m[2] as string).split(' ');
      const place =
        second &&
        !dictionaryWords().has(second.toLowerCase()) &&
        !/(?:ad|ade|at|policy|riktlinje\w*|rutin\w*)$/i.test(second)
          ? `${first} ${second}`
          : first;
      name = `${m[1] === 'Landsting' ? 'Landstinget' : m[1]} ${place}`;
    } else if (m[3]) name = `${m[3]} ${(m[4] as string).toLowerCase()}`;
    else name = m[5] as string;
    name = name.replace(/s$/u, (s, _offset, whole) => (counts.has(whole.slice(0, -1)) ? '' : s));
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  let best: string | undefined;
  let bestCount = 0;
  for (const [name, count] of counts) {
    if (count > bestCount) [best, bestCount] = [name, count];
  }
  return best;
}

function extractMetadata(blocks: Block[], raw: string): DocumentMetadata {
  const found: Partial<Record<keyof DocumentMetadata, string>> = {};
  for (const block of blocks.slice(0, 40)) {
    for (const m of block.text.matchAll(
      /(?:^|\s)([\p{L} .]{2,30}?):\s*([^:]+?)(?=\s+[\p{Lu}][\p{L} .]{1,29}:|$)/gu,
    )) {
      const label = LABELS.find(([pattern]) => pattern.test((m[1] as string).trim()));
      if (label && !found[label[1]]) found[label[1]] = (m[2] as string).trim();
    }
  }
  const head = raw.slice(0, 3000);
  const caseNumber =
    found.caseNumber ??
    /(?:diarienummer|dnr|ärendenummer)[\s.:]*([A-ZÅÄÖ]{0,4}\s?\d{4}\/\d{2,6}(?:-\d+)?)/i.exec(head)?.[1] ??
    /\b(\d{4}\/\d{3,6})\b/.exec(head)?.[1];
  const adoptedDate = found.adoptedDate ?? /\b(20\d{2}-\d{2}-\d{2})\b/.exec(head)?.[1];
  const adoptedBy =
    found.adoptedBy ??
    /(?:beslutad|fastställd|antagen)\s+(?:av\s+)?((?:region|landstings|kommun)?fullmäktige|regionstyrelsen|landstingsstyrelsen|\p{Lu}\p{L}+(?:fullmäktige|styrelsen|nämnden|direktören))/iu.exec(
      raw,
    )?.[1];

  const firstHeading = blocks.find((b) => b.kind === 'heading' && !/^\d/.test(b.text));
  const titleHeading = blocks.find((b) => b.kind === 'heading' && b.level === 1 && documentTypeOf(b.text));
  let title =
    found.title ??
    titleHeading?.text ??
    (firstHeading && documentTypeOf(firstHeading.text) ? firstHeading.text : undefined);
  const organisation = found.organisation ?? organisationOf(raw);
  if (!title) {
    const word =
      /\b(\p{L}*(?:policy|riktlinje[r]?|rutin|strategi|handlingsplan|tillämpningsanvisning))/iu.exec(
        raw,
      )?.[1];
    const base = word
      ? word.charAt(0).toUpperCase() + word.slice(1).toLowerCase()
      : (blocks[0]?.text ?? 'Dokument');
    title = organisation && !base.includes(organisation) ? `${base} ${organisation}` : base;
  }
  const documentType =
    (found.documentType ? documentTypeOf(found.documentType) : undefined) ?? documentTypeOf(title);
  return {
    title: collapse(title),
    organisation,
    documentType,
    adoptedBy: adoptedBy ? collapse(adoptedBy) : undefined,
    adoptedDate,
    caseNumber: caseNumber ? collapse(caseNumber) : undefined,
    owner: found.owner,
    validUntil: found.validUntil,
    nextReview: found.nextReview,
  };
}

/** HTML from a .docx (mammoth) → blocks: h1–h6, p, li. */
export function parseHtml(html: string): ParsedDocument {
  const blocks: Block[] = [];
  const decode = (s: string) =>
    collapse(
      s
        .replace(/<br\s*\/?>/gi, ' ')
        .replace(/<[^>]+>/g, '')
        .replace(/&nbsp;/g, ' ')
        .replace(/&amp;/g, '&')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'"),
    );
  for (const m of html.matchAll(/<(h[1-6]|p|li)\b[^>]*>([\s\S]*?)<\/\1>/gi)) {
    const tag = (m[1] as string).toLowerCase();
    const text = decode(m[2] as string);
    if (!text) continue;
    if (tag.startsWith('h')) blocks.push({ kind: 'heading', level: Number(tag[1]), text });
    else if (tag === 'li') blocks.push({ kind: 'item', text });
    else if (/^\s*<(strong|b)>[^<]*<\/\1>\s*$/i.test(m[2] as string) && looksLikeHeadingText(text)) {
      blocks.push({ kind: 'heading', level: 3, text }); // Word headings are often just bold paragraphs
    } else blocks.push({ kind: 'paragraph', text });
  }
  const plain = blocks.map((b) => b.text).join('\n');
  return { metadata: extractMetadata(blocks, plain), blocks };
}
