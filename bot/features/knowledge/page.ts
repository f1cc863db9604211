/**
 * A governing document as a readable page: what "Öppna dokumentet" on an answer card opens when the
 * documents are this service's own files (in SharePoint the card links to the library's file instead).
 * The text is parsed as the index parses it, so each section the index quotes has an anchor
 * (`#avsnitt-…`, the card's link ends with it) and the quoted section is marked when it is the target.
 * Plain HTML and inline style: the page carries no script (its Content-Security-Policy says so).
 */
import type { Block, DocumentMetadata } from './model';
import { parseText } from './parse';

/** The anchor of a section heading: stable, readable, the same from the card's link and the page. */
export function sectionAnchor(section: string): string {
  const slug = section
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return slug ? `avsnitt-${slug}` : '';
}

/** The link to a passage's section (a document link without a section is the document's). */
export const sectionLink = (link: string, section: string): string => {
  const anchor = sectionAnchor(section);
  return anchor && !link.includes('#') ? `${link}#${anchor}` : link;
};

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** **bold**, *italic* and [text](url) as the documents write them; everything else as text. */
function inline(text: string): string {
  return escapeHtml(text)
    .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^*])\*(?!\s)(.+?)\*/g, '$1<em>$2</em>')
    .replace(/\[([^\]]+)\]\((https:\/\/[^\s)]+)\)/g, '<a href="$2">$1</a>');
}

const STYLE = `
  body { font-family: "Segoe UI", system-ui, sans-serif; line-height: 1.5; margin: 0; color: #1b1b1b; background: #fff; }
  main { max-width: 46rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
  .meta { color: #4a4a4a; }
  section { padding: 0.25rem 0.75rem; border-left: 4px solid transparent; }
  section:target { background: #fff4ce; border-left-color: #8a6100; }
  a { color: #0f548c; }
  @media (prefers-color-scheme: dark) {
    body { color: #f0f0f0; background: #1f1f1f; } .meta { color: #c8c8c8; } a { color: #82c7ff; }
    section:target { background: #3d3200; border-left-color: #ffd335; }
  }
  @media (forced-colors: active) { section:target { border-left-color: Highlight; } }
`;

/** The page of a document's text (Markdown or plain text, as imported), or undefined for other files. */
export function documentPage(fileName: string, text: string): string | undefined {
  if (!/\.(md|markdown|txt)$/i.test(fileName)) return undefined;
  const parsed = parseText(text);
  const title = parsed.metadata.title || fileName;
  return renderPage(title, parsed.metadata, parsed.blocks);
}

function renderPage(title: string, metadata: DocumentMetadata, blocks: Block[]): string {
  const facts = [
    metadata.documentType,
    metadata.adoptedBy && metadata.adoptedDate
      ? `${metadata.adoptedBy}, ${metadata.adoptedDate}`
      : metadata.adoptedDate,
    metadata.caseNumber,
  ].filter(Boolean);
  const out: string[] = [];
  let open = false;
  let list = false;
  const closeList = () => {
    if (list) out.push('</ul>');
    list = false;
  };
  for (const block of blocks) {
    if (block.kind === 'heading') {
      closeList();
      if (block.level === 1 && block.text === title) continue;
      if (open) out.push('</section>');
      const id = sectionAnchor(block.text);
      out.push(`<section${id ? ` id="${id}"` : ''}>`);
      // the title is the page's one h1; the document's headings keep their order below it
      const level = Math.max(2, Math.min(block.level, 6));
      out.push(`<h${level}>${inline(block.text)}</h${level}>`);
      open = true;
    } else if (block.kind === 'item') {
      if (!list) out.push('<ul>');
      list = true;
      out.push(`<li>${inline(block.text)}</li>`);
    } else {
      closeList();
      out.push(`<p>${inline(block.text)}</p>`);
    }
  }
  closeList();
  if (open) out.push('</section>');
  return `<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${facts.length ? `<p class="meta">${facts.map((f) => escapeHtml(String(f))).join(' · ')}</p>` : ''}
${out.join('\n')}
</main>
</body>
</html>
`;
}
