/** Reads a .docx back the way a reader meets it (mammoth): headings, paragraphs, tables under their heading. */
import mammoth from 'mammoth';

export interface ReadTable {
  /** The nearest heading above the table. */
  heading: string;
  rows: string[][];
}

export interface ReadDocument {
  /** All text, one block a line. */
  text: string;
  headings: string[];
  tables: ReadTable[];
  warnings: string[];
}

const decode = (html: string) =>
  html
    .replace(/<\/p>\s*<p[^>]*>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();

export async function readDocx(bytes: Uint8Array): Promise<ReadDocument> {
  const { value: html, messages } = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) });
  const headings: string[] = [];
  const tables: ReadTable[] = [];
  const lines: string[] = [];
  let heading = '';
  for (const m of html.matchAll(
    /<(h[1-6])[^>]*>([\s\S]*?)<\/\1>|<table>([\s\S]*?)<\/table>|<p[^>]*>([\s\S]*?)<\/p>/g,
  )) {
    if (m[1]) {
      heading = decode(m[2] as string);
      headings.push(heading);
      lines.push(heading);
    } else if (m[3] !== undefined) {
      const rows = [...(m[3] as string).matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) =>
        [...(r[1] as string).matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => decode(c[1] as string)),
      );
      tables.push({ heading, rows });
      for (const row of rows) lines.push(row.join(' | '));
    } else {
      lines.push(decode(m[4] as string));
    }
  }
  return { text: lines.join('\n'), headings, tables, warnings: messages.map((x) => x.message) };
}

/** The table under a heading (the first, or the n-th). */
export function tableUnder(doc: ReadDocument, heading: string, n = 0): string[][] {
  const found = doc.tables.filter((t) => t.heading === heading)[n];
  if (!found) throw new Error(`no table under "${heading}" (headings: ${doc.headings.join(', ')})`);
  return found.rows;
}

/** The row whose first cell is `first`. */
export function rowOf(rows: string[][], first: string): string[] {
  const row = rows.find((r) => r[0] === first);
  if (!row) throw new Error(`no row "${first}" in ${JSON.stringify(rows.map((r) => r[0]))}`);
  return row;
}
