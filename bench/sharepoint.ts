/**
 * SharePoint through Graph, with 50 ms added to every request by the local Graph endpoint:
 *  - loading what a review dashboard needs for 300 units and 5,000 follow-ups (every unit review
 *    and every follow-up of the cycle): Värn's way (the first page filtered on the cycle, then the
 *    rest in parallel id ranges through $batch, each request filtering on one indexed field only),
 *    page after page through nextLink, and naively one request per unit;
 *  - the same a year later, when the lists also hold the previous cycle: this year's dashboard (the
 *    ranges start at this cycle's first item) and last year's (the ranges read on to the end);
 *  - submitting one unit's review (the review updated with If-Match, six assessments, two
 *    follow-ups, one audit event) through the Store port, and with the inserts in one $batch.
 * Prints JSON; measures, never asserts. `npm run bench` (or `node dist/bench/sharepoint.js` after a build).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type BatchRequest, Graph } from '../bot/graph';
import { type CollectionSpec, collections } from '../bot/store/schema';
import { SharePointList } from '../bot/store/sharepoint/collection';
import { connectSharePoint } from '../bot/store/sharepoint/connect';
import { columnDefinition } from '../infra/sharepoint/plan';
import { type ListSpec, listSpecOf } from '../infra/sharepoint/schema';
import { startGraph } from '../test/support/graph';
import { sharePointConfig } from '../test/support/sharepoint';

const UNITS = 300;
const FOLLOW_UPS = 5000;
const LATENCY_MS = 50;
const CYCLE = 'cycle-2026';

interface UnitReview {
  id: string;
  cycleId: string;
  unitId: string;
  unitName: string;
  managerId: string;
  status: 'draft' | 'submitted' | 'approved' | 'returned';
  deadline: string;
  submittedAt?: string;
  summary: { met: number; partly: number; notMet: number; notApplicable: number };
}

interface FollowUp {
  id: string;
  cycleId: string;
  unitId: string;
  title: string;
  ownerId: string;
  dueDate: string;
  status: 'open' | 'done';
  origin: 'review';
}

interface Assessment {
  id: string;
  reviewId: string;
  goalId: string;
  rating: 'met' | 'partly' | 'notMet' | 'notApplicable';
  comment: string;
}

// the review feature's collections as they will be declared in bot/store/schema.ts
const specs = {
  unitReviews: {
    name: 'unitReviews',
    indexed: ['cycleId', 'unitId', 'status'],
  } as CollectionSpec<UnitReview>,
  followUps: { name: 'followUps', indexed: ['cycleId', 'unitId', 'status'] } as CollectionSpec<FollowUp>,
  assessments: { name: 'assessments', indexed: ['reviewId'] } as CollectionSpec<Assessment>,
};

const round = (n: number) => Math.round(n);
const statuses: UnitReview['status'][] = ['draft', 'submitted', 'approved', 'returned'];

function unitReview(u: number, cycle = CYCLE): UnitReview {
  return {
    id: `review-${cycle}-unit-${u}`,
    cycleId: cycle,
    unitId: `unit-${u}`,
    unitName: `Enhet ${u} inom förvaltning ${u % 17}`,
    managerId: `0000${u}-aaaa-4bbb-8ccc-${String(u).padStart(12, '0')}`,
    status: statuses[u % statuses.length] as UnitReview['status'],
    deadline: '2026-12-15T16:00:00.000Z',
    submittedAt: u % 2 ? '2026-11-20T09:30:00.000Z' : undefined,
    summary: { met: 4, partly: 1, notMet: 1, notApplicable: 0 },
  };
}

function followUp(f: number, cycle = CYCLE): FollowUp {
  return {
    id: `fu-${cycle}-${String(f).padStart(5, '0')}`,
    cycleId: cycle,
    unitId: `unit-${f % UNITS}`,
    title: `Åtgärd ${f}: uppdatera kontinuitetsplanen och öva den med verksamhetens nyckelpersoner`,
    ownerId: `0000${f % UNITS}-aaaa-4bbb-8ccc-${String(f % UNITS).padStart(12, '0')}`,
    dueDate: `2027-0${1 + (f % 9)}-15`,
    status: f % 3 ? 'open' : 'done',
    origin: 'review',
  };
}

async function main() {
  const local = await startGraph({ seed: 3 });
  const site = local.control.createSite({ path: '/sites/varn-bench' });
  const config = sharePointConfig(local, site);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'varn-bench-'));
  const connection = await connectSharePoint(config, {
    networkClient: local.msalNetworkClient,
    localDbPath: path.join(dir, 'varn.sqlite'),
  });
  const graph: Graph = connection.graph;

  // the review lists, seeded behind the endpoint (no requests): declared like provisioning declares them
  const seeded = (spec: CollectionSpec<unknown>, records: { id: string }[], siteId = connection.siteId) => {
    const list: ListSpec = listSpecOf(spec);
    const shape = new SharePointList<{ id: string }>(list, { graph, siteId, listId: '' });
    const info = local.control.seedList(siteId, {
      displayName: list.displayName,
      description: `Värn ${list.key} ${list.marker}`,
      columns: list.columns.map(columnDefinition),
      items: records.map((r) => shape.fieldsOf(r)),
    });
    return new SharePointList<{ id: string }>(list, { graph, siteId, listId: info.id });
  };
  const reviews = seeded(
    specs.unitReviews as unknown as CollectionSpec<unknown>,
    Array.from({ length: UNITS }, (_, u) => unitReview(u)),
  );
  const followUps = seeded(
    specs.followUps as unknown as CollectionSpec<unknown>,
    Array.from({ length: FOLLOW_UPS }, (_, f) => followUp(f)),
  );
  const assessments = seeded(specs.assessments as unknown as CollectionSpec<unknown>, []);
  const audit = new SharePointList<{ id: string }>(
    listSpecOf(collections.auditEvents as CollectionSpec<unknown>),
    {
      graph,
      siteId: connection.siteId,
      listId: connection.report.lists.auditEvents as string,
    },
  );

  local.control.setFaults({ latencyMs: LATENCY_MS });
  await graph.get(`/sites/${connection.siteId}?$select=id`); // token and connection warm

  const measure = async <R>(name: string, work: () => Promise<R>) => {
    local.control.resetStats();
    const started = performance.now();
    const result = await graph.operation(name, work);
    const ms = performance.now() - started;
    const stats = local.control.stats();

    return {
      result,
      figures: {
        httpRequests: stats.httpRequests,
        graphRequests: stats.total,
        batches: stats.batches,
        resourceUnits: stats.resourceUnits,
        wallMs: round(ms),
      },
    };
  };

  const dashboard = await measure('bench.dashboard', async () => {
    const [r, f] = await Promise.all([
      reviews.query({ cycleId: CYCLE } as never),
      followUps.query({ cycleId: CYCLE } as never),
    ]);
    return { reviews: r.length, followUps: f.length };
  });

  const pageByPage = await measure('bench.dashboard.pages', async () => {
    const select = '$select=id,eTag&$expand=fields($select=VarnId,VarnRecord)';
    const filter = `&$filter=${encodeURIComponent(`fields/VarnCycleId eq '${CYCLE}'`)}`;
    const base = `/sites/${connection.siteId}/lists`;
    const [r, f] = await Promise.all([
      graph.all(`${base}/${reviews.listId}/items?${select}${filter}`),
      graph.all(`${base}/${followUps.listId}/items?${select}${filter}`),
    ]);
    return { reviews: r.length, followUps: f.length };
  });

  const naive = await measure('bench.dashboard.naive', async () => {
    let r = 0;
    let f = 0;
    for (let u = 0; u < UNITS; u++) {
      r += (await reviews.query({ unitId: `unit-${u}` } as never)).length;
      f += (await followUps.query({ unitId: `unit-${u}` } as never)).length;
    }
    return { reviews: r, followUps: f };
  });

  // submitting one unit's review
  const unit = 7;
  const goals = ['g1', 'g2', 'g3', 'g4', 'g5', 'g6'];
  const records = (round: string) => ({
    assessments: goals.map(
      (g, i) =>
        ({
          id: `${round}-a-${g}`,
          reviewId: unitReview(unit).id,
          goalId: g,
          rating: i === 5 ? 'notMet' : 'met',
          comment: 'Övning genomförd i oktober.',
        }) as Assessment,
    ),
    followUps: [0, 1].map((k) => ({
      ...followUp(FOLLOW_UPS + k),
      id: `${round}-fu-${k}`,
      unitId: `unit-${unit}`,
    })),
    event: {
      id: `${round}-event`,
      at: '2026-11-22T10:00:00.000Z',
      actorId: 'manager-7',
      recordType: 'unitReview',
      recordId: unitReview(unit).id,
      action: 'submit',
    },
  });

  const submitPort = await measure('bench.submit.port', async () => {
    const current = await reviews.get(unitReview(unit).id);
    if (!current) throw new Error('review missing');
    const { assessments: a, followUps: f, event } = records('port');
    await reviews.update({ ...current.value, status: 'submitted' } as UnitReview, current.version);
    for (const x of a) await assessments.insert(x);
    for (const x of f) await followUps.insert(x);
    await audit.insert(event);
    return { writes: 1 + a.length + f.length + 1 };
  });

  const submitBatched = await measure('bench.submit.batched', async () => {
    const current = await reviews.get(unitReview(unit).id);
    if (!current) throw new Error('review missing');
    const { assessments: a, followUps: f, event } = records('batched');
    // the state change first (If-Match), then everything it brings in one $batch
    await reviews.update({ ...current.value, status: 'approved' } as UnitReview, current.version);
    const post = (list: SharePointList<{ id: string }>, value: { id: string }): BatchRequest => ({
      method: 'POST',
      url: `/sites/${connection.siteId}/lists/${list.listId}/items`,
      body: { fields: list.fieldsOf(value) },
    });
    const requests = [
      ...a.map((x) => post(assessments, x)),
      ...f.map((x) => post(followUps, x)),
      post(audit, event),
    ];
    const responses = await graph.batch(requests);
    for (const [i, response] of responses.entries()) Graph.check(response, requests[i] as BatchRequest);
    return { writes: 1 + requests.length };
  });

  // a year later: the lists hold last year's cycle too (created before this year's)
  const LAST = 'cycle-2025';
  const later = local.control.createSite({ path: '/sites/varn-bench-later' }).id;
  const yearLater = {
    reviews: seeded(
      specs.unitReviews as unknown as CollectionSpec<unknown>,
      [
        ...Array.from({ length: UNITS }, (_, u) => unitReview(u, LAST)),
        ...Array.from({ length: UNITS }, (_, u) => unitReview(u)),
      ],
      later,
    ),
    followUps: seeded(
      specs.followUps as unknown as CollectionSpec<unknown>,
      [
        ...Array.from({ length: FOLLOW_UPS }, (_, f) => followUp(f, LAST)),
        ...Array.from({ length: FOLLOW_UPS }, (_, f) => followUp(f)),
      ],
      later,
    ),
  };
  const dashboardOf = (cycle: string) => async () => {
    const [r, f] = await Promise.all([
      yearLater.reviews.query({ cycleId: cycle } as never),
      yearLater.followUps.query({ cycleId: cycle } as never),
    ]);
    return { reviews: r.length, followUps: f.length };
  };
  const thisYear = await measure('bench.dashboard.yearLater', dashboardOf(CYCLE));
  const lastYear = await measure('bench.dashboard.lastYear', dashboardOf(LAST));

  await connection.store.close();
  await local.close();
  return {
    latencyAddedMs: LATENCY_MS,
    units: UNITS,
    followUps: FOLLOW_UPS,
    dashboard: {
      goal: { httpRequests: 10, wallMs: 1500 },
      varn: { ...dashboard.figures, loaded: dashboard.result },
      pageByPage: { ...pageByPage.figures, loaded: pageByPage.result },
      naivePerUnit: { ...naive.figures, loaded: naive.result },
      aYearLater: {
        listsHold: { reviews: 2 * UNITS, followUps: 2 * FOLLOW_UPS },
        thisCycle: { ...thisYear.figures, loaded: thisYear.result },
        lastCycle: { ...lastYear.figures, loaded: lastYear.result },
      },
    },
    submitOneReview: {
      throughStorePort: { ...submitPort.figures, ...submitPort.result },
      insertsInOneBatch: { ...submitBatched.figures, ...submitBatched.result },
    },
    countedByTheApp: graph.metrics.snapshot(),
  };
}

export const sharePointBench = main;

if (require.main === module) {
  main()
    .then((result) =>
      process.stdout.write(`${JSON.stringify({ node: process.version, sharepoint: result }, null, 2)}\n`),
    )
    .catch((error: unknown) => {
      process.stderr.write(`${(error as Error).stack}\n`);
      process.exit(1);
    });
}
