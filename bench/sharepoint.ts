/**
 * SharePoint through Graph, with 50 ms added to every request by the local Graph endpoint, on the
 * lists provisioning makes for the review's collections (bot/store/schema.ts) and through the Store
 * port, with records shaped like the review's (twelve assessed goals per unit review):
 *  - loading what a review dashboard needs for 300 units and 5,000 follow-ups (every unit review
 *    and every follow-up of the cycle): Värn's way (the first page filtered on the cycle, then the
 *    rest in parallel id ranges through $batch, each request filtering on one indexed field only),
 *    page after page through nextLink, and naively one request per unit (its manager);
 *  - the same a year later, when the lists also hold the previous cycle: this year's dashboard (the
 *    ranges start at this cycle's first item) and last year's (the ranges read on to the end);
 *  - submitting one unit's review with two gaps, as ReviewService.submit writes it (the review read,
 *    then in one transaction: the review updated with If-Match, each gap's follow-up looked up,
 *    created and audited, the submission audited), and the same writes with the inserts in one $batch.
 * Prints JSON; measures, never asserts. `npm run bench` (or `node dist/bench/sharepoint.js` after a build).
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { collections } from '../bot/collections';
import type { FollowUp } from '../bot/features/review/followups/model';
import type { Assessment, UnitReview } from '../bot/features/review/model';
import type { AuditEvent } from '../bot/platform/audit/model';
import { type BatchRequest, Graph } from '../bot/platform/graph';
import type { CollectionSpec } from '../bot/platform/store/schema';
import { SharePointList } from '../bot/platform/store/sharepoint/collection';
import { connectSharePoint, type SharePointConnection } from '../bot/platform/store/sharepoint/connect';
import { listSpecOf } from '../bot/platform/store/sharepoint/provisioning/schema';
import { type LocalGraph, startGraph } from '../test/support/graph';
import { sharePointConfig } from '../test/support/sharepoint';

const UNITS = 300;
const FOLLOW_UPS = 5000;
const LATENCY_MS = 50;
const CYCLE = 'cycle-2026';
const LAST = 'cycle-2025';
const GOALS = ['ps1', 'ps2', 'kb1', 'kb2', 'cf1', 'cf2', 'is1', 'is2', 'ss1', 'ss2', 'as1', 'as2'];

const round = (n: number) => Math.round(n);
const states: UnitReview['state'][] = ['open', 'submitted', 'returned', 'signedOff'];
const personOf = (n: number) => `0000${n}-aaaa-4bbb-8ccc-${String(n).padStart(12, '0')}`;

function unitReview(u: number, cycle = CYCLE): UnitReview {
  const assessments: Record<string, Assessment> = {};
  for (const goalId of GOALS) {
    assessments[goalId] = { goalId, rating: 'met', comment: 'Genomgånget på ledningsgruppsmötet i oktober.' };
  }
  return {
    id: `${cycle}:unit-${u}`,
    cycleId: cycle,
    unitId: `unit-${u}`,
    unitName: `Enhet ${u} inom förvaltning ${u % 17}`,
    managerId: personOf(u),
    chain: [
      { role: 'headOfAdministration', personId: personOf(1000 + (u % 17)) },
      { role: 'securityChief', personId: personOf(2000) },
    ],
    lineIds: [personOf(1000 + (u % 17)), personOf(3000)],
    state: states[u % states.length] as UnitReview['state'],
    step: 0,
    round: 1,
    holderId: personOf(1000 + (u % 17)),
    assessments,
    signOffs: [],
    submittedAt: '2026-11-20T09:30:00.000Z',
    updatedAt: '2026-11-20T09:30:00.000Z',
  };
}

function followUp(f: number, cycle = CYCLE): FollowUp {
  const u = f % UNITS;
  return {
    id: `${cycle}:unit-${u}:goal-${f}`,
    sourceType: 'review',
    sourceId: `${cycle}:unit-${u}`,
    goalId: GOALS[f % GOALS.length] as string,
    cycleId: cycle,
    unitId: `unit-${u}`,
    unitName: `Enhet ${u} inom förvaltning ${u % 17}`,
    goalText: 'Risk- och sårbarhetsanalys och kontinuitetsplan är aktuella och övade under året.',
    what: `Åtgärd ${f}: uppdatera kontinuitetsplanen och öva den med verksamhetens nyckelpersoner`,
    ownerId: personOf(5000 + (f % 900)),
    managerId: personOf(u),
    due: `2027-0${1 + (f % 9)}-15`,
    status: f % 3 ? 'open' : 'done',
    notes: [],
    createdAt: '2026-11-20T09:30:00.000Z',
    updatedAt: '2026-11-20T09:30:00.000Z',
  };
}

/** A site provisioned like a deployment, with the records put in its lists behind the endpoint (no requests counted). */
async function siteWith(
  local: LocalGraph,
  name: string,
  records: { unitReviews: UnitReview[]; followUps: FollowUp[] },
): Promise<SharePointConnection> {
  const site = local.control.createSite({ path: `/sites/${name}` });
  const connection = await connectSharePoint(sharePointConfig(local, site), {
    collections,
    networkClient: local.msalNetworkClient,
    localDbPath: path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'varn-bench-')), 'varn.sqlite'),
  });
  for (const [key, values] of Object.entries(records)) {
    const spec = listSpecOf(collections[key as keyof typeof collections] as CollectionSpec<unknown>);
    const shape = new SharePointList<{ id: string }>(spec, {
      graph: connection.graph,
      siteId: connection.siteId,
      listId: '',
    });
    local.control.addItems(
      site.id,
      connection.report.lists[key] as string,
      values.map((v) => shape.fieldsOf(v)),
    );
  }
  return connection;
}

async function main() {
  const local = await startGraph({ seed: 3 });
  const connection = await siteWith(local, 'varn-bench', {
    unitReviews: Array.from({ length: UNITS }, (_, u) => unitReview(u)),
    followUps: Array.from({ length: FOLLOW_UPS }, (_, f) => followUp(f)),
  });
  const later = await siteWith(local, 'varn-bench-later', {
    unitReviews: [
      ...Array.from({ length: UNITS }, (_, u) => unitReview(u, LAST)),
      ...Array.from({ length: UNITS }, (_, u) => unitReview(u)),
    ],
    followUps: [
      ...Array.from({ length: FOLLOW_UPS }, (_, f) => followUp(f, LAST)),
      ...Array.from({ length: FOLLOW_UPS }, (_, f) => followUp(f)),
    ],
  });
  const { graph, store } = connection;

  local.control.setFaults({ latencyMs: LATENCY_MS });
  await graph.get(`/sites/${connection.siteId}?$select=id`); // token and connection warm
  await later.graph.get(`/sites/${later.siteId}?$select=id`);

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

  const dashboardOf = (on: SharePointConnection, cycle: string) => async () => {
    const [r, f] = await Promise.all([
      on.store.unitReviews.find({ cycleId: cycle }),
      on.store.followUps.find({ cycleId: cycle }),
    ]);
    return { reviews: r.length, followUps: f.length };
  };
  const dashboard = await measure('bench.dashboard', dashboardOf(connection, CYCLE));

  const pageByPage = await measure('bench.dashboard.pages', async () => {
    const select = '$select=id,eTag&$expand=fields($select=VarnId,VarnRecord)';
    const filter = `&$filter=${encodeURIComponent(`fields/VarnCycleId eq '${CYCLE}'`)}`;
    const base = `/sites/${connection.siteId}/lists`;
    const [r, f] = await Promise.all([
      graph.all(`${base}/${connection.report.lists.unitReviews}/items?${select}${filter}`),
      graph.all(`${base}/${connection.report.lists.followUps}/items?${select}${filter}`),
    ]);
    return { reviews: r.length, followUps: f.length };
  });

  const naive = await measure('bench.dashboard.naive', async () => {
    let r = 0;
    let f = 0;
    for (let u = 0; u < UNITS; u++) {
      r += (await store.unitReviews.find({ managerId: personOf(u) })).length;
      f += (await store.followUps.find({ managerId: personOf(u) })).length;
    }
    return { reviews: r, followUps: f };
  });

  // submitting one unit's review with two gaps, each with a follow-up
  const unit = 7;
  const submission = (tag: string) => {
    const current = unitReview(unit);
    const gaps = ['kb1', 'is2'];
    const followUps = gaps.map((goalId, k) => ({
      ...followUp(FOLLOW_UPS + k),
      id: `${current.id}:${goalId}:${tag}`,
      goalId,
      unitId: current.unitId,
      managerId: current.managerId,
    }));
    const event = (recordType: string, recordId: string, action: string): AuditEvent => ({
      id: `${tag}:${recordId}:${action}`,
      at: '2026-11-22T10:00:00.000Z',
      actorId: current.managerId,
      recordType,
      recordId,
      action,
    });
    return { reviewId: current.id, gaps, followUps, event };
  };

  const submitPort = await measure('bench.submit.port', async () => {
    const { reviewId, gaps, followUps, event } = submission('port');
    const current = await store.unitReviews.get(reviewId);
    if (!current) throw new Error('review missing');
    await store.transaction(async (tx) => {
      const assessments = { ...current.value.assessments };
      for (const goalId of gaps) assessments[goalId] = { goalId, rating: 'partlyMet', comment: 'Ej övad.' };
      await tx.unitReviews.update({ ...current.value, state: 'submitted', assessments }, current.version);
      for (const f of followUps) {
        await tx.followUps.get(f.id);
        await tx.followUps.insert(f);
        await tx.auditEvents.append(event('followUp', f.id, 'create'));
      }
      await tx.auditEvents.append(event('unitReview', reviewId, 'submit'));
    });
    return { writes: 1 + 2 * followUps.length + 1 };
  });

  const submitBatched = await measure('bench.submit.batched', async () => {
    const { reviewId, followUps, event } = submission('batched');
    const current = await store.unitReviews.get(reviewId);
    if (!current) throw new Error('review missing');
    // the state change first (If-Match), then everything it brings in one $batch
    await store.unitReviews.update({ ...current.value, state: 'returned' }, current.version);
    const list = (key: 'followUps' | 'auditEvents') =>
      new SharePointList<{ id: string }>(listSpecOf(collections[key] as CollectionSpec<unknown>), {
        graph,
        siteId: connection.siteId,
        listId: connection.report.lists[key] as string,
      });
    const post = (key: 'followUps' | 'auditEvents', value: { id: string }): BatchRequest => ({
      method: 'POST',
      url: `/sites/${connection.siteId}/lists/${connection.report.lists[key]}/items`,
      body: { fields: list(key).fieldsOf(value) },
    });
    const requests = [
      ...followUps.flatMap((f) => [
        post('followUps', f),
        post('auditEvents', event('followUp', f.id, 'create')),
      ]),
      post('auditEvents', event('unitReview', reviewId, 'submit')),
    ];
    const responses = await graph.batch(requests);
    for (const [i, response] of responses.entries()) Graph.check(response, requests[i] as BatchRequest);
    return { writes: 1 + requests.length };
  });

  // a year later: the lists hold last year's cycle too (created before this year's)
  const thisYear = await measure('bench.dashboard.yearLater', dashboardOf(later, CYCLE));
  const lastYear = await measure('bench.dashboard.lastYear', dashboardOf(later, LAST));

  await connection.store.close();
  await later.store.close();
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
