/**
 * The säkerhetsbokslut at scale: 300 units × 25 goals in 6 areas, with gaps, follow-ups and
 * sign-off histories, made into figures, a .docx and a CSV and put in the local document store.
 * Prints JSON; measures, never asserts.
 *
 *   npm run --silent build && node dist/bench/report.js [units] [goals]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { renderCsv } from '../bot/features/annualReport/csv';
import { renderDocx } from '../bot/features/annualReport/docx';
import { computeReport } from '../bot/features/annualReport/figures';
import type {
  AnnualReportInput,
  FollowUpStatus,
  Rating,
  UnitInput,
} from '../bot/features/annualReport/model';
import { publishAnnualReport } from '../bot/features/annualReport/service';
import { LocalDocumentStore } from '../bot/platform/documents/local';

const units = Number(process.argv[2] ?? 300);
const goals = Number(process.argv[3] ?? 25);

/** A small deterministic generator, so every run measures the same report. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function generate(unitCount: number, goalCount: number): AnnualReportInput {
  const next = random(2026);
  const areaNames = [
    'Personsäkerhet',
    'Krisberedskap',
    'Civilt försvar',
    'Informationssäkerhet och dataskydd',
    'Säkerhetsskydd',
    'Allmän säkerhet',
  ];
  const areas = areaNames.map((name, i) => ({ id: `a${i}`, name }));
  const goalList = Array.from({ length: goalCount }, (_, i) => ({
    id: `g${i}`,
    areaId: `a${i % areas.length}`,
    text: `Målsättning ${i + 1}: verksamheten har rutiner som följs upp och övas minst en gång om året`,
  }));
  const ratings: Rating[] = ['met', 'met', 'met', 'partlyMet', 'notMet', 'notApplicable'];
  const statuses: FollowUpStatus[] = ['open', 'inProgress', 'done', 'cancelled'];
  const unitList: UnitInput[] = Array.from({ length: unitCount }, (_, u) => {
    const followUps: UnitInput['followUps'] = [];
    const assessments = goalList.map((g) => {
      const rating = next() < 0.03 ? undefined : ratings[Math.floor(next() * ratings.length)];
      if ((rating === 'partlyMet' || rating === 'notMet') && next() < 0.8) {
        followUps.push({
          id: `f${u}-${g.id}`,
          goalId: g.id,
          what: `Åtgärda bristen i ${g.id} genom utbildning och uppdaterad rutin`,
          ownerName: `Ansvarig ${u}`,
          due: `2027-0${1 + Math.floor(next() * 9)}-15`,
          status: statuses[Math.floor(next() * statuses.length)] as FollowUpStatus,
        });
      }
      return {
        goalId: g.id,
        rating,
        comment: next() < 0.3 ? 'Kommentar; med "citat" och ny\nrad' : undefined,
      };
    });
    const returned = next() < 0.2;
    return {
      id: `u${u}`,
      name: `Enhet ${String(u + 1).padStart(3, '0')}`,
      line: ['Region Norrviken', `Förvaltning ${1 + (u % 12)}`],
      managerName: `Chef ${u + 1}`,
      state: next() < 0.9 ? 'signedOff' : 'inSignOff',
      history: [
        { action: 'submitted', at: '2026-10-01T08:00:00Z', byName: `Chef ${u + 1}` },
        ...(returned
          ? [
              {
                action: 'returned' as const,
                at: '2026-10-02T08:00:00Z',
                byName: 'Förvaltningschef',
                comment: 'Komplettera',
              },
              { action: 'submitted' as const, at: '2026-10-03T08:00:00Z', byName: `Chef ${u + 1}` },
            ]
          : []),
        { action: 'approved', at: '2026-10-04T08:00:00Z', byName: 'Förvaltningschef' },
        { action: 'signedOff', at: '2026-10-05T08:00:00Z', byName: 'Säkerhetschef' },
      ],
      assessments,
      followUps,
    };
  });
  return {
    organisation: 'Region Norrviken',
    year: 2026,
    deadline: '2026-10-31',
    openedAt: '2026-09-01T07:00:00Z',
    closedAt: '2026-11-20T15:00:00Z',
    generatedAt: '2026-11-22T09:00:00Z',
    preparedBy: 'Säkerhetschef',
    areas,
    goals: goalList,
    units: unitList,
  };
}

async function time<T>(work: () => Promise<T> | T): Promise<{ result: T; ms: number }> {
  const start = performance.now();
  const result = await work();
  return { result, ms: Math.round((performance.now() - start) * 10) / 10 };
}

async function main() {
  const input = generate(units, goals);
  const mb = (bytes: number) => Math.round(bytes / 1024 / 102.4) / 10;
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const figures = await time(() => computeReport(input));
  const docx = await time(() => renderDocx(figures.result, 'sv'));
  const csv = await time(() => renderCsv(figures.result, 'sv'));
  const heapAfter = process.memoryUsage().heapUsed;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'varn-bench-report-'));
  const documents = new LocalDocumentStore(dir, 'http://localhost:3978/files');
  // how long the service could not answer anyone while it made and stored the report
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const published = await time(() => publishAnnualReport(documents, input, 'sv'));
  loop.disable();
  fs.rmSync(dir, { recursive: true, force: true });
  const { totals } = figures.result;
  console.log(
    JSON.stringify(
      {
        benchmark: 'annual report (säkerhetsbokslut)',
        units,
        goals,
        rowsInCsv: units * goals,
        gaps: totals.gaps,
        followUps: totals.followUps.total,
        figuresMs: figures.ms,
        docxMs: docx.ms,
        docxKB: Math.round(docx.result.byteLength / 1024),
        csvMs: csv.ms,
        csvKB: Math.round(csv.result.byteLength / 1024),
        publishBothMs: published.ms,
        publishLongestEventLoopBlockMs: Math.round(loop.max / 1e6),
        heapGrowthMB: mb(heapAfter - heapBefore),
        rssMB: mb(process.memoryUsage().rss),
        node: process.version,
        cpus: os.cpus().length,
      },
      null,
      2,
    ),
  );
}

void main();
