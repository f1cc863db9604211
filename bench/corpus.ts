import type { DocumentRecord, Passage } from '../bot/features/knowledge/model';
import { parseText } from '../bot/features/knowledge/parse';
import { toPassages } from '../bot/features/knowledge/passages';

/**
 * A generated corpus: `count` policy-like documents of ten organisations' names, each of six sections of five of the
 * given sentences (the sample documents' passages), drawn by a seeded generator: the same corpus every time. The
 * knowledge benchmark measures on it; the pruning test checks on it that the exact pruning changes nothing.
 */
export function generatedCorpus(
  sentences: string[],
  count: number,
): { documents: DocumentRecord[]; passages: Passage[] } {
  const towns = [
    'Ålsta',
    'Bergvik',
    'Dalby',
    'Ekerum',
    'Fjällbo',
    'Granö',
    'Hästvik',
    'Isö',
    'Järnby',
    'Kalvsund',
  ];
  const documents: DocumentRecord[] = [];
  const passages: Passage[] = [];
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let d = 0; d < count; d++) {
    const organisation = `${towns[d % towns.length]} kommun ${Math.floor(d / towns.length)}`;
    const lines: string[] = [`# Riktlinje ${d} för ${organisation}`];
    for (let s = 0; s < 6; s++) {
      lines.push(`## ${s + 1} Avsnitt ${s + 1}`);
      for (let k = 0; k < 5; k++) lines.push(sentences[Math.floor(next() * sentences.length)] as string);
    }
    const parsed = parseText(lines.join('\n\n'));
    const id = `doc-${d}`;
    documents.push({
      ...parsed.metadata,
      organisation,
      id,
      sourceKey: id,
      fileName: `${id}.md`,
      link: '',
      contentHash: '',
      importedAt: '',
      passageCount: 0,
    });
    toPassages(parsed.blocks).forEach((p, ordinal) => {
      passages.push({ ...p, id: `${id}:${ordinal}`, documentId: id, ordinal });
    });
  }
  return { documents, passages };
}
