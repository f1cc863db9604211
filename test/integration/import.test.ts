/** Importing governing documents from a folder: formats, structure, re-import, broken files. */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Document, HeadingLevel, Packer, Paragraph } from 'docx';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { collections } from '../../bot/collections';
import { KnowledgeService } from '../../bot/features/knowledge/service';
import { FileSystemSource } from '../../bot/features/knowledge/source';
import { createLogger } from '../../bot/platform/logger';
import { openSqliteStore } from '../../bot/platform/store/sqlite';

const log = createLogger('silent');
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'varn-import-'));
});

async function docx(file: string) {
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({ text: 'Riktlinje för besökare', heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ text: '1 Besök i våra lokaler', heading: HeadingLevel.HEADING_2 }),
          new Paragraph(
            'Alla besökare ska bära en synlig besöksbricka. Värden hämtar besökaren i entrén och följer med hela besöket.',
          ),
        ],
      },
    ],
  });
  fs.writeFileSync(path.join(dir, file), await Packer.toBuffer(doc));
}

async function pdf(file: string) {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage();
  const lines = [
    'Rutin for nycklar',
    '',
    'Nycklar och passerkort lamnas tillbaka till chefen den sista',
    'arbetsdagen. Forlorade kort sparras samma dag.',
  ];
  for (const [i, line] of lines.entries()) page.drawText(line, { x: 50, y: 750 - i * 20, size: 12, font });
  fs.writeFileSync(path.join(dir, file), await doc.save());
}

test('docx, pdf, md and txt import into passages; broken and unsupported files are named and the rest still import', async () => {
  await docx('besok.docx');
  await pdf('nycklar.pdf');
  fs.writeFileSync(
    path.join(dir, 'policy.md'),
    '# Policy för larm\n\nDokumenttyp: Policy\nDiarienummer: SK 2025/00012\n\n## 1 Larm\n\nVid brand larmar man 112 och utrymmer lokalen.\n',
  );
  fs.writeFileSync(path.join(dir, 'trasig.docx'), 'this is not a zip file');
  fs.writeFileSync(path.join(dir, 'trasig.pdf'), '%PDF-1.4 garbage');
  fs.writeFileSync(path.join(dir, 'bild.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));

  const store = openSqliteStore(':memory:', collections);
  const knowledge = new KnowledgeService(store, log);
  const report = await knowledge.import(new FileSystemSource([dir]));
  expect(report.imported.sort()).toEqual(['besok.docx', 'nycklar.pdf', 'policy.md']);
  expect(report.failed.map((f) => f.name).sort()).toEqual(['bild.png', 'trasig.docx', 'trasig.pdf']);
  expect(report.failed.find((f) => f.name === 'bild.png')?.reason).toMatch(/unsupported file type/);

  const docs = (await store.documents.list()).map((d) => d.value);
  const policy = docs.find((d) => d.fileName === 'policy.md');
  expect(policy).toMatchObject({
    title: 'Policy för larm',
    documentType: 'policy',
    caseNumber: 'SK 2025/00012',
  });
  const visit = await knowledge.search('måste besökare ha en bricka?');
  expect(visit.answers[0]?.document.fileName).toBe('besok.docx');
  expect(visit.answers[0]?.passage.section).toBe('1 Besök i våra lokaler');
  const keys = await knowledge.search('nycklar passerkort sista arbetsdagen');
  expect(keys.answers[0]?.document.fileName).toBe('nycklar.pdf');
  await store.close();
});

test('re-importing a changed document replaces its passages; an unchanged one is left alone', async () => {
  const file = path.join(dir, 'rutin.md');
  fs.writeFileSync(file, '# Rutin\n\nSkrivaren på plan 3 ska låsas varje kväll.\n');
  const store = openSqliteStore(':memory:', collections);
  const knowledge = new KnowledgeService(store, log);
  await knowledge.import(new FileSystemSource([dir]));
  expect((await knowledge.import(new FileSystemSource([dir]))).unchanged).toEqual(['rutin.md']);
  fs.writeFileSync(file, '# Rutin\n\nKassaskåpet på plan 4 ska låsas varje kväll.\n');
  expect((await knowledge.import(new FileSystemSource([dir]))).imported).toEqual(['rutin.md']);
  const texts = (await store.passages.list()).map((p) => p.value.text);
  expect(texts.join(' ')).toContain('Kassaskåpet');
  expect(texts.join(' ')).not.toContain('Skrivaren');
  expect(await store.documents.list()).toHaveLength(1);
  await store.close();
});
