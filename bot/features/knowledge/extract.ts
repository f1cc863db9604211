/**
 * Reads a governing document's bytes into structure: .txt and .md as text, .docx through mammoth
 * (headings, paragraphs, lists as HTML), .pdf through unpdf (pdf.js). A file that is not one of
 * these, or cannot be read, fails with a reason that names it.
 */
import path from 'node:path';
import type { ParsedDocument } from './model';
import { parseHtml, parseText } from './parse';

export const SUPPORTED_EXTENSIONS = ['.txt', '.md', '.markdown', '.docx', '.pdf'] as const;

export class DocumentReadError extends Error {
  constructor(
    readonly fileName: string,
    readonly reason: 'unsupported' | 'broken' | 'empty',
    detail: string,
  ) {
    super(`${fileName}: ${detail}`);
    this.name = 'DocumentReadError';
  }
}

export async function extractDocument(fileName: string, bytes: Uint8Array): Promise<ParsedDocument> {
  const extension = path.extname(fileName).toLowerCase();
  let parsed: ParsedDocument;
  try {
    switch (extension) {
      case '.txt':
      case '.md':
      case '.markdown': {
        const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
        if (text.includes('\u0000')) throw new Error('binary content in a text file');
        parsed = parseText(extension === '.txt' ? text : stripMarkdownInline(text));
        break;
      }
      case '.docx': {
        const mammoth = await import('mammoth');
        const { value } = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) });
        parsed = parseHtml(value);
        break;
      }
      case '.pdf': {
        const { extractText, getDocumentProxy } = await import('unpdf');
        const pdf = await getDocumentProxy(new Uint8Array(bytes));
        const { text } = await extractText(pdf, { mergePages: false });
        parsed = parseText((text as string[]).join('\n\n'));
        break;
      }
      default:
        throw new DocumentReadError(
          fileName,
          'unsupported',
          `unsupported file type "${extension || '(none)'}"; use ${SUPPORTED_EXTENSIONS.join(', ')}`,
        );
    }
  } catch (error) {
    if (error instanceof DocumentReadError) throw error;
    throw new DocumentReadError(fileName, 'broken', `could not be read (${(error as Error).message})`);
  }
  if (!parsed.blocks.some((b) => b.kind !== 'heading')) {
    throw new DocumentReadError(fileName, 'empty', 'holds no text (a scanned PDF needs OCR first)');
  }
  return parsed;
}

/** Markdown emphasis, code and links read as their text. */
function stripMarkdownInline(text: string): string {
  return text
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^\w*])\*(?!\s)([^*\n]+?)\*(?!\w)/g, '$1$2')
    .replace(/`([^`]+)`/g, '$1');
}
