/**
 * Reports of risks, deficiencies and incidents: an employee reports, the nearest manager (and deputy)
 * and, by kind, the security function, the security chief or the data protection officer get the card;
 * the handler acknowledges, decides (a follow-up, no action with a reason, or the security function
 * takes it) and closes with the cause and what was learned; the reporter hears each step.
 *
 * Each command is parse (routes.ts) → load → authorize (policy.ts) → act → present. The state change
 * and its audit event, the cards it causes and the jobs it plans are one transaction (an outbox: the
 * sender and the scheduler find them once it commits), under stable keys (enqueuing or scheduling the
 * same key again is a no-op); `resume()` at start plans them again for every open report, for reports
 * stored before the outbox.
 */

import { randomUUID } from 'node:crypto';
import { auditEvent } from '../../platform/audit/model';
import type { Delivery, Outgoing, Sender } from '../../platform/delivery/port';
import { AppError, badInput, notFound } from '../../platform/errors';
import { type Lang, langOf } from '../../platform/i18n';
import type { Logger } from '../../platform/logger';
import type { Messenger, SentMessage } from '../../platform/messaging';
import { type Actor, Actors, activeOn } from '../../platform/org/actor';
import type { Directory, Person } from '../../platform/org/model';
import type { Job, Scheduler } from '../../platform/schedule/port';
import { type Store, type Stored, VersionConflict } from '../../platform/store';
import { CardCopies } from '../../platform/teams/copies';
import { stockholmDay } from '../../platform/time';
import type { FollowUp, FollowUps } from '../review/followups';
import {
  type Decision,
  isSensitive,
  type Report,
  type ReportAction,
  type ReportKind,
  type Severity,
} from './model';
import { abilitiesOf, actingAsManager, canOnReport, type ReportAbility } from './policy';
import { type AreaName, type CardPurpose, formCard, reportCard } from './present';
import {
  findPersonalNumber,
  handlingTimes,
  personalDataClock,
  type ReportSchedule,
  type ReportYearFigures,
  routingOf,
  yearFigures,
} from './rules';
import { reportDeliveryKinds, reportJobKinds } from './verbs';

/** The review's follow-ups: a report's follow-up is stored as one of them (source "report") and announced the same way. */
export type FollowUpsPort = Pick<FollowUps, 'announce'>;

export interface ReportsDeps {
  store: Store;
  directory: Directory;
  sender: Sender;
  scheduler: Scheduler;
  log: Logger;
  clock: () => Date;
  /** The policy's areas (the yearly review's goal template). */
  areas: readonly AreaName[];
  /** Configured security function (aadObjectIds); empty: people with the role securityChief or securityOfficer. */
  securityFunctionIds: readonly string[];
  schedule: ReportSchedule;
  /** The organisation's own deviation system or servicedesk, per kind: the card links there. */
  links: Partial<Record<ReportKind, string>>;
  messenger: Messenger;
  followUps: FollowUpsPort;
  teamsIdOf: (personId: string) => Promise<string | undefined>;
}

/** A new report as the tab's API and the chat form give it, checked at the edge (routes.ts). */
export interface NewReport {
  kind: ReportKind;
  title: string;
  description: string;
  where: string;
  occurredAt: string;
  area: string;
  severity: Severity;
}

/** One handling step, checked at the edge. */
export type StepInput =
  | { step: 'acknowledge' }
  | { step: 'decide'; decision: ReportDecisionInput }
  | { step: 'forward'; comment: string }
  | { step: 'close'; cause: string; lessons: string }
  | { step: 'assessPersonalData'; outcome: 'notified' | 'notRequired'; comment: string };

interface Change {
  next: Report;
  action: ReportAction;
  comment?: string;
  followUp?: FollowUp;
}

export type ReportDecisionInput =
  | { kind: 'followUp'; what: string; ownerId: string; due: string }
  | { kind: 'noAction'; reason: string };

/** How far ahead of the server's clock an "occurred at" may be (a phone's clock a little fast). */
const CLOCK_SKEW_MS = 5 * 60_000;

export class ReportService {
  private readonly actors: Actors;
  private readonly copies: CardCopies;

  constructor(private readonly deps: ReportsDeps) {
    this.actors = new Actors({
      directory: deps.directory,
      clock: deps.clock,
      securityFunctionIds: deps.securityFunctionIds,
      deputies: deps.store.deputies,
    });
    this.copies = new CardCopies({ store: deps.store, messenger: deps.messenger, log: deps.log });
  }

  /** The sender's renderers, by kind (registered by app.ts from the feature's face). */
  renderers() {
    const sent = (delivery: Delivery, message: SentMessage) =>
      this.copies.rememberDelivery(delivery, message);
    return {
      [reportDeliveryKinds.incoming]: {
        render: (id: string, p: string) => this.render(id, p, 'incoming'),
        sent,
      },
      [reportDeliveryKinds.update]: { render: (id: string, p: string) => this.render(id, p, 'update'), sent },
      [reportDeliveryKinds.overdue]: {
        render: (id: string, p: string) => this.render(id, p, 'overdue'),
        sent,
      },
      [reportDeliveryKinds.personalDataReminder]: {
        render: (id: string, p: string) => this.render(id, p, 'personalData'),
        sent,
      },
    };
  }

  jobs() {
    return {
      [reportJobKinds.overdue]: (job: Job) => this.overdue(job),
      [reportJobKinds.personalDataReminder]: (job: Job) => this.personalDataReminder(job),
    };
  }

  // ----- who is acting ------------------------------------------------------------------------------------

  private securityFunction(): Promise<string[]> {
    return this.actors.securityFunction();
  }

  /** The platform's one Actor: roles, security function, deputies today. */
  actor(personId: string): Promise<Actor> {
    return this.actors.of(personId);
  }

  private async deputiesOf(principalId: string): Promise<string[]> {
    const today = stockholmDay(this.deps.clock());
    return (await this.deps.store.deputies.find({ principalId }))
      .map((d) => d.value)
      .filter((d) => activeOn(today, d))
      .map((d) => d.deputyId);
  }

  private async lang(personId: string): Promise<Lang> {
    return langOf((await this.deps.directory.person(personId))?.locale);
  }

  // ----- reporting ----------------------------------------------------------------------------------------

  async form(personId: string, lang: Lang): Promise<object> {
    await this.requirePerson(personId);
    return formCard(lang, { areas: this.deps.areas, today: stockholmDay(this.deps.clock()) });
  }

  private async requirePerson(personId: string): Promise<Person> {
    const person = await this.deps.directory.person(personId);
    if (!person) throw new AppError({ id: 'forbidden', status: 403, messageKey: 'error.forbidden' });
    return person;
  }

  /** Checks what the edge cannot (a personal identity number, the time, the area), stores the report, sends it on. */
  async create(personId: string, input: NewReport): Promise<Report> {
    const { store, clock, directory } = this.deps;
    const reporter = await this.requirePerson(personId);
    for (const text of [input.title, input.description, input.where]) {
      if (findPersonalNumber(text)) throw badInput('reports.personalNumber');
    }
    const now = clock();
    if (new Date(input.occurredAt).getTime() > now.getTime() + CLOCK_SKEW_MS)
      throw badInput('reports.occurredInFuture');
    if (!this.deps.areas.some((a) => a.id === input.area)) throw badInput('reports.unknownArea');

    const unit = (await directory.units()).find((u) => u.id === reporter.unitId);
    // the nearest manager; someone at the top of the line reports to the security chief
    const manager =
      (await directory.managerOf(personId)) ??
      (await directory.withRole('securityChief')).find((p) => p.id !== personId);
    if (!manager) throw new AppError({ id: 'no_manager', status: 409, messageKey: 'reports.noManager' });
    const routing = routingOf({ kind: input.kind, areaId: input.area });
    const forwardedTo = new Set<string>();
    if (routing.securityFunction) for (const id of await this.securityFunction()) forwardedTo.add(id);
    if (routing.securityChief)
      for (const p of await directory.withRole('securityChief')) forwardedTo.add(p.id);
    if (routing.dataProtectionOfficer)
      for (const p of await directory.withRole('dataProtectionOfficer')) forwardedTo.add(p.id);
    forwardedTo.delete(manager.id);
    forwardedTo.delete(personId);

    const at = now.toISOString();
    const report: Report = {
      id: randomUUID(),
      kind: input.kind,
      title: input.title,
      description: input.description,
      where: input.where,
      occurredAt: new Date(input.occurredAt).toISOString(),
      areaId: input.area,
      severity: input.severity,
      reporterId: personId,
      unitId: reporter.unitId,
      unitName: unit?.name ?? reporter.unitId,
      managerId: manager.id,
      forwardedTo: [...forwardedTo],
      securityFunctionHandles: false,
      state: 'reported',
      year: Number(stockholmDay(now).slice(0, 4)),
      reportedAt: at,
      dueAt: handlingTimes(at, this.deps.schedule).remind,
      history: [{ at, actorId: personId, action: 'reported' }],
      updatedAt: at,
    };
    const deputies = await this.deputiesOf(report.managerId);
    const wake = await store.transaction(async (tx) => {
      await tx.reports.insert(report);
      await tx.auditEvents.append(this.event(report, personId, 'reported', undefined, 'reported'));
      return this.plan(report, tx, deputies);
    });
    wake();
    return report;
  }

  /**
   * The cards and jobs a report's state calls for, written by `tx` under stable keys (idempotent; `resume`
   * runs it again). Returns what wakes the sender once `tx` has committed. `deputies` (the manager's) are
   * read before the transaction: inside it, only `tx` may be read.
   */
  private async plan(report: Report, tx: Store, deputies: string[]): Promise<() => void> {
    const { sender, scheduler } = this.deps;
    const incoming = [report.managerId, ...deputies, ...report.forwardedTo];
    const messages: Outgoing[] = [...new Set(incoming)]
      .filter((id) => id !== report.reporterId)
      .map((personId) => ({
        key: `report:${report.id}:incoming:${personId}`,
        personId,
        kind: reportDeliveryKinds.incoming,
        recordId: report.id,
      }));
    // the reporter hears each step after the report itself, each step once
    report.history.forEach((step, index) => {
      if (index === 0 || !['acknowledged', 'decided', 'forwarded', 'closed'].includes(step.action)) return;
      messages.push({
        key: `report:${report.id}:update:${index}`,
        personId: report.reporterId,
        kind: reportDeliveryKinds.update,
        recordId: `${report.id}#${index}`,
      });
    });
    const wake = await sender.enqueueWithin(tx, batchOf(report), messages);
    // a closed report's jobs find it closed and do nothing (cancelled after the commit, to keep the queue tidy)
    if (report.state !== 'closed')
      for (const job of this.jobsOf(report)) await scheduler.schedule(job, { tx });
    return wake;
  }

  /** The jobs an open report has: reminding the handler, escalating up the line, the 72-hour clock. */
  private jobsOf(report: Report) {
    const times = handlingTimes(report.reportedAt, this.deps.schedule);
    const id = (job: string) => `report:${report.id}:${job}`;
    return [
      { id: id('overdue:handler'), kind: reportJobKinds.overdue, dueAt: times.remind, who: 'handler' },
      { id: id('overdue:line'), kind: reportJobKinds.overdue, dueAt: times.escalate, who: 'line' },
      ...(report.kind === 'personalDataIncident'
        ? [
            {
              id: id('personalData'),
              kind: reportJobKinds.personalDataReminder,
              dueAt: personalDataClock(report.reportedAt).reminder,
            },
          ]
        : []),
    ].map(({ who, ...job }) => ({ ...job, payload: { reportId: report.id, ...(who ? { who } : {}) } }));
  }

  private async cancelJobs(report: Report): Promise<void> {
    for (const job of this.jobsOf(report)) await this.deps.scheduler.cancel(job.id);
  }

  /** At start: plans again what every open report calls for (a crash between a change and its cards loses nothing). */
  async resume(): Promise<number> {
    const open = [
      ...(await this.deps.store.reports.find({ state: 'reported' })),
      ...(await this.deps.store.reports.find({ state: 'handling' })),
    ];
    for (const { value } of open) {
      const deputies = await this.deputiesOf(value.managerId);
      (await this.deps.store.transaction((tx) => this.plan(value, tx, deputies)))();
    }
    return open.length;
  }

  // ----- reading ------------------------------------------------------------------------------------------

  /** A report for someone who may see it; everyone else is told it does not exist. */
  private async visible(
    personId: string,
    reportId: string,
  ): Promise<{ stored: Stored<Report>; actor: Actor }> {
    const stored = await this.deps.store.reports.get(reportId);
    const actor = await this.actor(personId);
    if (!stored || !canOnReport(actor, 'view', stored.value)) throw notFound();
    return { stored, actor };
  }

  async get(personId: string, reportId: string) {
    const { stored, actor } = await this.visible(personId, reportId);
    // the names the tab shows beside the ids (reporter, handler, who took each step): only for one who may see it
    const names = Object.fromEntries(await this.namesIn(stored.value));
    return { ...this.present(stored.value, actor), names };
  }

  /** The reports the person may see, newest first. */
  async list(personId: string) {
    const actor = await this.actor(personId);
    const { reports } = this.deps.store;
    let candidates: Stored<Report>[];
    if (actor.securityFunction || actor.roles.includes('dataProtectionOfficer'))
      candidates = await reports.list();
    else {
      const managed = await Promise.all(
        [actor.id, ...actor.deputyFor].map((id) => reports.find({ managerId: id })),
      );
      candidates = [...(await reports.find({ reporterId: actor.id })), ...managed.flat()];
      // escalated or forwarded to this person
      if (actor.roles.includes('unitManager') || actor.roles.includes('headOfAdministration'))
        candidates.push(
          ...(await reports.find({ state: 'reported' })),
          ...(await reports.find({ state: 'handling' })),
        );
    }
    const seen = new Set<string>();
    return candidates
      .map((s) => s.value)
      .filter((r) => !seen.has(r.id) && seen.add(r.id) && canOnReport(actor, 'view', r))
      .sort((a, b) => b.reportedAt.localeCompare(a.reportedAt))
      .map((r) => this.present(r, actor));
  }

  private present(report: Report, actor: Actor) {
    return { ...report, abilities: abilitiesOf(actor, report) };
  }

  async view(personId: string, lang: Lang, reportId: string, details = false): Promise<object> {
    const { stored, actor } = await this.visible(personId, reportId);
    return this.card(lang, actor, stored.value, { details });
  }

  // ----- handling -----------------------------------------------------------------------------------------

  /**
   * Loads, authorizes and applies one step. From a card (`seen` set): a stale card (the report moved on
   * since it was shown) or a second click gets the current report and changes nothing. Someone who may
   * see the report but not take this step is refused; anyone else is told it does not exist.
   */
  private async step(
    personId: string,
    reportId: string,
    seen: string | undefined,
    ability: ReportAbility,
    change: (report: Report, at: string) => Promise<Change>,
  ): Promise<{ report: Report; actor: Actor }> {
    const { store, clock } = this.deps;
    const { stored, actor } = await this.visible(personId, reportId);
    const report = stored.value;
    if (seen !== undefined && seen !== report.updatedAt) return { report, actor };
    if (!canOnReport(actor, ability, report)) {
      // a second click on a card whose step is done: the current card, no second transition
      if (seen !== undefined) return { report, actor };
      throw new AppError({ id: 'conflict', status: 409, messageKey: 'reports.notNow' });
    }
    const at = clock().toISOString();
    const { next, action, comment, followUp } = await change(report, at);
    const acting = actingAsManager(actor, report);
    const stepped: Report = {
      ...next,
      updatedAt: at,
      history: [
        ...report.history,
        {
          at,
          actorId: personId,
          ...(acting?.onBehalfOf ? { onBehalfOf: acting.onBehalfOf } : {}),
          action,
          ...(comment ? { comment } : {}),
        },
      ],
    };
    let saved: Report;
    const deputies = await this.deputiesOf(stepped.managerId);
    try {
      let wake = () => {};
      saved = await store.transaction(async (tx) => {
        if (followUp) await tx.followUps.insert(followUp);
        const written = await tx.reports.update(stepped, stored.version);
        await tx.auditEvents.append(
          this.event(report, personId, action, report.state, stepped.state, comment, acting?.onBehalfOf),
        );
        wake = await this.plan(written.value, tx, deputies);
        return written.value;
      });
      wake();
    } catch (error) {
      if (error instanceof VersionConflict)
        return { report: (await store.reports.get(reportId))?.value ?? report, actor };
      throw error;
    }
    if (saved.state === 'closed') await this.cancelJobs(saved);
    if (followUp) await this.deps.followUps.announce(batchOf(saved), [followUp]);
    await this.copies.update(saved.id, async (copy) =>
      this.card(await this.lang(copy.personId), await this.actor(copy.personId), saved),
    );
    return { report: saved, actor };
  }

  /** Runs a step for a card: the answer is the report's card as it now stands for the clicker. */
  async onCard(
    personId: string,
    lang: Lang,
    reportId: string,
    seen: string,
    step: StepInput,
  ): Promise<object> {
    const { report, actor } = await this.apply(personId, reportId, seen, step);
    return this.card(lang, actor, report);
  }

  /** Runs a step for the tab: the report with the caller's abilities. */
  async onApi(personId: string, reportId: string, step: StepInput) {
    const { report, actor } = await this.apply(personId, reportId, undefined, step);
    return this.present(report, actor);
  }

  private apply(personId: string, reportId: string, seen: string | undefined, step: StepInput) {
    switch (step.step) {
      case 'acknowledge':
        return this.step(personId, reportId, seen, 'acknowledge', async (report, at) => ({
          next: { ...report, state: 'handling', acknowledgedAt: at },
          action: 'acknowledged',
        }));
      case 'decide':
        return this.step(personId, reportId, seen, 'decide', (report, at) =>
          this.decision(report, at, step.decision),
        );
      case 'forward':
        return this.step(personId, reportId, seen, 'forward', async (report, at) => {
          const members = (await this.securityFunction()).filter((id) => id !== report.reporterId);
          return {
            next: {
              ...report,
              state: 'handling',
              acknowledgedAt: report.acknowledgedAt ?? at,
              securityFunctionHandles: true,
              forwardedTo: [...new Set([...report.forwardedTo, ...members])],
              decision: { kind: 'forwarded', ...(step.comment ? { comment: step.comment } : {}) },
            },
            action: 'forwarded',
            ...(step.comment ? { comment: step.comment } : {}),
          };
        });
      case 'close':
        return this.step(personId, reportId, seen, 'close', async (report, at) => ({
          next: { ...report, state: 'closed', cause: step.cause, lessons: step.lessons, closedAt: at },
          action: 'closed',
          comment: step.lessons,
        }));
      case 'assessPersonalData':
        return this.step(personId, reportId, seen, 'assessPersonalData', async (report, at) => ({
          next: {
            ...report,
            dpo: {
              outcome: step.outcome,
              at,
              by: personId,
              ...(step.comment ? { comment: step.comment } : {}),
            },
          },
          action: 'dpoAssessed',
          comment: step.comment || step.outcome,
        }));
    }
  }

  private async decision(report: Report, at: string, input: ReportDecisionInput): Promise<Change> {
    const base = {
      ...report,
      state: 'handling' as const,
      acknowledgedAt: report.acknowledgedAt ?? at,
      decidedAt: at,
    };
    if (input.kind === 'noAction')
      return {
        next: { ...base, decision: { kind: 'noAction', reason: input.reason } },
        action: 'decided',
        comment: input.reason,
      };
    if (input.due < stockholmDay(this.deps.clock())) throw badInput('reports.dueInPast');
    const owner = await this.deps.directory.person(input.ownerId);
    if (!owner) throw badInput('reports.unknownOwner');
    const followUp: FollowUp = {
      id: `report:${report.id}`,
      sourceType: 'report',
      sourceId: report.id,
      goalId: '',
      cycleId: `report:${report.year}`,
      unitId: report.unitId,
      unitName: report.unitName,
      goalText: report.title,
      what: input.what,
      ownerId: owner.id,
      managerId: report.managerId,
      due: input.due,
      status: 'open',
      notes: [],
      createdAt: at,
      updatedAt: at,
    };
    const decision: Decision = {
      kind: 'followUp',
      followUpId: followUp.id,
      what: input.what,
      ownerId: owner.id,
      due: input.due,
    };
    return { next: { ...base, decision }, action: 'decided', comment: input.what, followUp };
  }

  // ----- reminders ----------------------------------------------------------------------------------------

  /** Handling overdue: the handler (manager and deputy, the security function when it handles), then one level up. */
  private async overdue(job: Job): Promise<void> {
    const stored = await this.deps.store.reports.get(job.payload.reportId ?? '');
    if (!stored) return;
    const report = stored.value;
    if (report.state === 'closed' || (report.decision && report.decision.kind !== 'forwarded')) return;
    const line = job.payload.who === 'line';
    let recipients: string[];
    if (line) {
      const above = await this.deps.directory.managerOf(report.managerId);
      recipients = above && above.id !== report.reporterId ? [above.id] : [];
    } else recipients = [report.managerId, ...(await this.deputiesOf(report.managerId))];
    if (report.securityFunctionHandles && !line) recipients.push(...(await this.securityFunction()));
    recipients = [...new Set(recipients)];
    if (recipients.length === 0) return;
    const at = this.deps.clock().toISOString();
    const action: ReportAction = line ? 'escalated' : 'reminded';
    const next: Report = {
      ...report,
      // the line above may now see the report it is told about
      forwardedTo: line ? [...new Set([...report.forwardedTo, ...recipients])] : report.forwardedTo,
      history: [...report.history, { at, actorId: 'system', action, comment: recipients.join(',') }],
      updatedAt: at,
    };
    const wake = await this.deps.store.transaction(async (tx) => {
      await tx.reports.update(next, stored.version);
      await tx.auditEvents.append(this.event(report, 'system', action, report.state, report.state));
      return this.deps.sender.enqueueWithin(
        tx,
        batchOf(report),
        recipients.map((personId) => ({
          key: `report:${report.id}:${action}:${personId}`,
          personId,
          kind: reportDeliveryKinds.overdue,
          recordId: report.id,
        })),
      );
    });
    wake();
  }

  /** 24 hours before the 72 are out: the data protection officer (and the manager), unless assessed or closed. */
  private async personalDataReminder(job: Job): Promise<void> {
    const report = (await this.deps.store.reports.get(job.payload.reportId ?? ''))?.value;
    if (!report || report.state === 'closed' || report.dpo) return;
    const dpos = (await this.deps.directory.withRole('dataProtectionOfficer')).map((p) => p.id);
    await this.deps.sender.enqueue(
      batchOf(report),
      [...new Set([...dpos, report.managerId])].map((personId) => ({
        key: `report:${report.id}:personalData:${personId}`,
        personId,
        kind: reportDeliveryKinds.personalDataReminder,
        recordId: report.id,
      })),
    );
  }

  // ----- cards --------------------------------------------------------------------------------------------

  private async render(
    recordId: string,
    personId: string,
    purpose: 'incoming' | 'update' | 'overdue' | 'personalData',
  ): Promise<object | undefined> {
    const [reportId = '', index] = recordId.split('#');
    const report = (await this.deps.store.reports.get(reportId))?.value;
    if (!report) return undefined;
    const actor = await this.actor(personId);
    if (!canOnReport(actor, 'view', report)) return undefined;
    if ((purpose === 'overdue' || purpose === 'personalData') && report.state === 'closed') return undefined;
    const step = index === undefined ? undefined : report.history[Number(index)];
    return this.card(await this.lang(personId), actor, report, { purpose, step });
  }

  /** The names of the people a report names (reporter, handler, who took each step, a follow-up's owner). */
  private async namesIn(report: Report): Promise<Map<string, string>> {
    const ids = [
      report.reporterId,
      report.managerId,
      ...report.history.map((h) => h.actorId),
      ...(report.decision?.kind === 'followUp' ? [report.decision.ownerId] : []),
    ];
    const names = new Map<string, string>();
    for (const id of new Set(ids)) {
      const person = await this.deps.directory.person(id);
      if (person) names.set(id, person.name);
    }
    return names;
  }

  private async card(
    lang: Lang,
    viewer: Actor,
    report: Report,
    extra: {
      purpose?: CardPurpose;
      step?: Report['history'][number];
      details?: boolean;
    } = {},
  ): Promise<object> {
    const names = await this.namesIn(report);
    const teamsId = await this.deps.teamsIdOf(viewer.id);
    const owners = canOnReport(viewer, 'decide', report)
      ? (await this.deps.directory.membersOf(report.unitId)).map((p) => ({ id: p.id, name: p.name }))
      : [];
    return reportCard(lang, viewer, {
      report,
      names: (id) => names.get(id) ?? id,
      areas: this.deps.areas,
      owners,
      link: this.deps.links[report.kind],
      now: this.deps.clock(),
      refreshUserIds: teamsId ? [teamsId] : [],
      // threats, violence and säkerhetsskydd: only what is needed in chat, the rest on request
      details: extra.details === true || !isSensitive(report),
      purpose: extra.purpose,
      step: extra.step,
    });
  }

  /** What the reporter sees once the report is stored: where it went, and its card. */
  async sentCard(personId: string, lang: Lang, report: Report): Promise<object> {
    return this.card(lang, await this.actor(personId), report, { purpose: 'sent' });
  }

  // ----- the year -----------------------------------------------------------------------------------------

  /** The year's figures for the säkerhetsbokslut (all units). */
  async year(year: number): Promise<ReportYearFigures> {
    return yearFigures(
      year,
      (await this.deps.store.reports.find({ year })).map((s) => s.value),
    );
  }

  /**
   * The tab's overview: the whole organisation for the security function, the units a manager leads (and
   * those below them) for a manager; nobody else. Figures only: no report's text beyond the lessons of
   * closed ones.
   */
  async figures(personId: string, year: number): Promise<ReportYearFigures> {
    const actor = await this.actor(personId);
    const all = (await this.deps.store.reports.find({ year })).map((s) => s.value);
    if (actor.securityFunction) return yearFigures(year, all);
    const units = await this.deps.directory.units();
    const led = new Set(units.filter((u) => u.managerId === personId).map((u) => u.id));
    if (led.size === 0) throw new AppError({ id: 'forbidden', status: 403, messageKey: 'error.forbidden' });
    for (let grown = true; grown; ) {
      grown = false;
      for (const u of units)
        if (u.parentId && led.has(u.parentId) && !led.has(u.id)) {
          led.add(u.id);
          grown = true;
        }
    }
    return yearFigures(
      year,
      all.filter((r) => led.has(r.unitId)),
    );
  }

  private event(
    report: Report,
    actorId: string,
    action: ReportAction,
    fromState: string | undefined,
    toState: string,
    comment?: string,
    onBehalfOf?: string,
  ) {
    return auditEvent({
      at: this.deps.clock().toISOString(),
      actorId,
      onBehalfOf,
      recordType: 'report',
      recordId: report.id,
      action,
      fromState,
      toState,
      // the audit log says what happened, not what the report says (minimised personal data)
      comment: action === 'reported' ? report.kind : comment,
    });
  }
}

const batchOf = (report: Report) => `report:${report.id}`;
