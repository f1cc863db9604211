/**
 * Campaigns: compose, edit, duplicate, preview, send (now or at a time), cancel; the scheduled jobs
 * that hand the fan-out to the shared sender, remind and close; recipients' acknowledgements and
 * quiz answers; figures. Each command reloads the record, authorizes the actor against the declared
 * policy, acts with a version check and writes its audit event in the same transaction.
 * Nothing here fans out inside a user's turn: sending is a Scheduler job that enqueues on the Sender.
 */
import { randomUUID } from 'node:crypto';
import { type AuditEvent, auditEvent } from '../../platform/audit/model';
import type { Delivery, FailureReason, Outgoing, Renderer, Sender } from '../../platform/delivery/port';
import { AppError, badInput, forbidden, notFound } from '../../platform/errors';
import { langOf } from '../../platform/i18n';
import type { Logger } from '../../platform/logger';
import { type Actor, Actors } from '../../platform/org/actor';
import type { Directory, Unit } from '../../platform/org/model';
import type { JobHandler, Scheduler } from '../../platform/schedule/port';
import { type Store, type Stored, VersionConflict } from '../../platform/store';
import { figuresCsv } from './csv';
import {
  type Campaign,
  type CampaignContent,
  type CampaignRecipient,
  deliveryKey,
  deliveryKinds,
  hasTakenIn,
  jobId,
  jobKinds,
  recipientId,
} from './model';
import {
  AUTHOR_GRANT,
  type CampaignAbility,
  type CampaignSubject,
  inState,
  campaignPolicy as policy,
  transitions,
} from './policy';
import { recipientCard } from './present';
import {
  cardBytes,
  computeFigures,
  type Figures,
  needsReminder,
  type Problem,
  resolveAudience,
  scoreQuiz,
  type Tally,
  validateContent,
} from './rules';

export interface CampaignServiceDeps {
  store: Store;
  directory: Directory;
  sender: Sender;
  scheduler: Scheduler;
  clock: () => Date;
  log: Logger;
  /** Teams user ids (29:…) of people, so that their card refreshes; optional. */
  teamsIdOf: (personId: string) => Promise<string | undefined>;
}

export const defaultContent = (): CampaignContent => ({
  title: '',
  text: '',
  requiresAcknowledgement: true,
  audience: { kind: 'everyone' },
  reminderAt: [],
});

const SYSTEM = 'system';

/** A recipient the campaign's card did not reach, and why. */
export interface Unreached {
  personId: string;
  name: string;
  reason: FailureReason;
}

export class CampaignService {
  private readonly actors: Actors;

  constructor(private readonly deps: CampaignServiceDeps) {
    this.actors = new Actors({
      directory: deps.directory,
      clock: deps.clock,
      // the security chief names authors; the name is a grant the actor carries
      grants: [async (personId) => ((await deps.store.campaignAuthors.get(personId)) ? [AUTHOR_GRANT] : [])],
    });
  }

  /** The scheduler jobs: dispatch, reminders, close. */
  jobs(): Record<string, JobHandler> {
    return {
      [jobKinds.send]: (job) => this.dispatch(job.payload.campaignId ?? ''),
      [jobKinds.reminder]: (job) => this.remind(job.payload.campaignId ?? '', Number(job.payload.index)),
      [jobKinds.close]: (job) => this.close(job.payload.campaignId ?? ''),
    };
  }

  /** The sender's renderers: the campaign message and its reminder, per recipient. */
  renderers(): Record<string, Renderer> {
    return {
      [deliveryKinds.message]: {
        render: (campaignId, personId) => this.renderFor(campaignId, personId, false),
      },
      [deliveryKinds.reminder]: {
        render: (campaignId, personId) => this.renderFor(campaignId, personId, true),
      },
    };
  }

  /** Registers the jobs and renderers with the scheduler and the sender (the app does this from the feature's face). */
  register(): void {
    for (const [kind, renderer] of Object.entries(this.renderers()))
      this.deps.sender.register(kind, renderer);
    for (const [kind, handler] of Object.entries(this.jobs())) this.deps.scheduler.register(kind, handler);
  }

  // ---------------------------------------------------------------------------------------------
  // who is acting

  actor(personId: string): Promise<Actor> {
    return this.actors.of(personId);
  }

  private authorize(actor: Actor, ability: CampaignAbility, subject?: CampaignSubject): void {
    policy.authorize(actor, ability, subject);
  }

  async can(personId: string, ability: CampaignAbility): Promise<boolean> {
    return policy.can(await this.actor(personId), ability, undefined);
  }

  /** The security chief names (or removes) an author. */
  async nameAuthor(actorId: string, personId: string, named: boolean): Promise<void> {
    const { store, directory, clock } = this.deps;
    this.authorize(await this.actor(actorId), 'nameAuthors');
    if (!(await directory.person(personId))) throw badInput('campaign.error.unknownPerson');
    const at = clock().toISOString();
    await store.transaction(async (tx) => {
      const existing = await tx.campaignAuthors.get(personId);
      if (named && !existing)
        await tx.campaignAuthors.insert({ id: personId, personId, namedBy: actorId, namedAt: at });
      else if (!named && existing) await tx.campaignAuthors.remove(personId);
      else return;
      await tx.auditEvents.append(
        event(actorId, 'campaignAuthor', personId, named ? 'name-author' : 'remove-author', at),
      );
    });
  }

  // ---------------------------------------------------------------------------------------------
  // composing

  async load(campaignId: string): Promise<Stored<Campaign>> {
    const stored = campaignId ? await this.deps.store.campaigns.get(campaignId) : undefined;
    if (!stored) throw notFound();
    return stored;
  }

  /** The units and groups an author can choose from. */
  async choices(): Promise<{ units: Unit[]; groups: { id: string; name: string }[] }> {
    return { units: await this.deps.directory.units(), groups: await this.deps.directory.groups() };
  }

  /** Everything wrong with the content (the recipient card is rendered to measure it, in the longer language). */
  async problems(content: CampaignContent): Promise<Problem[]> {
    const { units, groups } = await this.choices();
    const probe = { ...content, id: 'probe', status: 'sending' as const };
    const bytes = Math.max(
      ...(['sv', 'en'] as const).map((lang) =>
        cardBytes(recipientCard(lang, { campaign: probe, reminder: true, refreshUserIds: ['29:probe'] })),
      ),
    );
    return validateContent(content, {
      now: this.deps.clock(),
      cardBytes: bytes,
      unitIds: new Set(units.map((u) => u.id)),
      groupIds: new Set(groups.map((g) => g.id)),
    });
  }

  /** The people the audience reaches now. */
  async audience(content: Pick<CampaignContent, 'audience'>): Promise<{ id: string; unitId: string }[]> {
    const { directory } = this.deps;
    const groupIds = content.audience.kind === 'groups' ? content.audience.groupIds : [];
    const groupMembers = new Map<string, string[]>();
    for (const id of groupIds) groupMembers.set(id, await directory.groupMembers(id));
    return resolveAudience(content.audience, {
      units: await directory.units(),
      people: await directory.everyone(),
      groupMembers,
    });
  }

  /**
   * Creates a draft. `only` limits the check to problems a composer step can show (the card's first
   * step knows nothing yet of the audience); with problems, nothing is saved.
   */
  async create(
    actorId: string,
    content: CampaignContent,
    only?: (p: Problem) => boolean,
  ): Promise<{ campaign?: Campaign; problems: Problem[] }> {
    this.authorize(await this.actor(actorId), 'compose');
    const problems = (await this.problems(content)).filter(only ?? (() => true));
    if (problems.length > 0) return { problems };
    const now = this.deps.clock().toISOString();
    const campaign: Campaign = {
      ...content,
      id: randomUUID(),
      status: 'draft',
      createdBy: actorId,
      createdAt: now,
      updatedAt: now,
    };
    await this.deps.store.transaction(async (tx) => {
      await tx.campaigns.insert(campaign);
      await tx.auditEvents.append(event(actorId, 'campaign', campaign.id, 'create', now, { to: 'draft' }));
    });
    return { campaign, problems: [] };
  }

  /** Changes a draft; with problems (limited by `only`), nothing is saved. */
  async edit(
    actorId: string,
    campaignId: string,
    change: (content: CampaignContent) => CampaignContent,
    only?: (p: Problem) => boolean,
  ): Promise<{ campaign: Campaign; problems: Problem[]; attempted: CampaignContent }> {
    this.authorize(await this.actor(actorId), 'edit');
    const stored = await this.load(campaignId);
    if (!inState(stored.value, 'edit')) throw conflict('campaign.error.notDraft');
    const attempted = change(contentOf(stored.value));
    const problems = (await this.problems(attempted)).filter(only ?? (() => true));
    if (problems.length > 0) return { campaign: stored.value, problems, attempted };
    const now = this.deps.clock().toISOString();
    const next: Campaign = { ...stored.value, ...attempted, updatedAt: now };
    // fields an author removed must not survive the spread
    for (const key of ['imageUrl', 'documentUrl', 'documentTitle', 'quiz', 'sendAt', 'closeAt'] as const) {
      if (attempted[key] === undefined) delete next[key];
    }
    try {
      await this.deps.store.transaction(async (tx) => {
        await tx.campaigns.update(next, stored.version);
        await tx.auditEvents.append(
          event(actorId, 'campaign', campaignId, 'edit', now, { from: 'draft', to: 'draft' }),
        );
      });
    } catch (error) {
      if (error instanceof VersionConflict) throw conflict('campaign.error.notDraft');
      throw error;
    }
    return { campaign: next, problems: [], attempted };
  }

  /** A new draft with the same content and no times (the old ones have usually passed). */
  async duplicate(actorId: string, campaignId: string): Promise<Campaign> {
    this.authorize(await this.actor(actorId), 'duplicate');
    const { value: source } = await this.load(campaignId);
    const now = this.deps.clock().toISOString();
    const { sendAt: _s, closeAt: _c, ...content } = contentOf(source);
    const copy: Campaign = {
      ...content,
      reminderAt: [],
      id: randomUUID(),
      status: 'draft',
      createdBy: actorId,
      createdAt: now,
      updatedAt: now,
      duplicatedFrom: source.id,
    };
    await this.deps.store.transaction(async (tx) => {
      await tx.campaigns.insert(copy);
      await tx.auditEvents.append(
        event(actorId, 'campaign', copy.id, 'duplicate', now, { to: 'draft', comment: `from ${source.id}` }),
      );
    });
    return copy;
  }

  /** What the author needs to see before sending: the campaign, its problems, how many it reaches. */
  async inspect(
    actorId: string,
    campaignId: string,
  ): Promise<{ campaign: Campaign; problems: Problem[]; recipients: number; actor: Actor }> {
    const actor = await this.actor(actorId);
    this.authorize(actor, 'preview');
    const { value: campaign } = await this.load(campaignId);
    const recipients = campaign.targeted ?? (await this.audience(campaign)).length;
    const problems = campaign.status === 'draft' ? await this.sendProblems(campaign, recipients) : [];
    return { campaign, problems, recipients, actor };
  }

  private async sendProblems(campaign: CampaignContent, recipients: number): Promise<Problem[]> {
    const problems = await this.problems(campaign);
    if (recipients === 0 && !problems.some((p) => p.field === 'audience'))
      problems.push({ field: 'audience', key: 'campaign.error.emptyAudience' });
    return problems;
  }

  // ---------------------------------------------------------------------------------------------
  // sending

  /**
   * Sends a draft now or at its time: validates everything (a problem sends nothing), moves it to
   * `scheduled` and schedules the dispatch job. The fan-out happens in that job, not in this turn.
   */
  async send(
    actorId: string,
    campaignId: string,
  ): Promise<{ campaign: Campaign; problems: Problem[]; recipients: number }> {
    this.authorize(await this.actor(actorId), 'send');
    const stored = await this.load(campaignId);
    if (!inState(stored.value, 'send')) throw conflict('campaign.error.notDraft');
    const recipients = (await this.audience(stored.value)).length;
    const problems = await this.sendProblems(stored.value, recipients);
    if (problems.length > 0) return { campaign: stored.value, problems, recipients };
    const now = this.deps.clock().toISOString();
    const next: Campaign = {
      ...stored.value,
      status: transitions.send.to,
      sendRequestedBy: actorId,
      updatedAt: now,
    };
    try {
      await this.deps.store.transaction(async (tx) => {
        await tx.campaigns.update(next, stored.version);
        await tx.auditEvents.append(
          event(actorId, 'campaign', campaignId, 'send', now, { from: 'draft', to: transitions.send.to }),
        );
        // the dispatch job commits with the change that causes it (an outbox)
        await this.scheduleDispatch(next, tx);
      });
    } catch (error) {
      if (error instanceof VersionConflict) throw conflict('campaign.error.notDraft');
      throw error;
    }
    return { campaign: next, problems: [], recipients };
  }

  private scheduleDispatch(campaign: Campaign, tx?: Store): Promise<void> {
    return this.deps.scheduler.schedule(
      {
        id: jobId.send(campaign.id),
        kind: jobKinds.send,
        dueAt: campaign.sendAt ?? campaign.updatedAt,
        payload: { campaignId: campaign.id },
      },
      tx ? { tx } : {},
    );
  }

  /** After a restart: a campaign that was sent but whose dispatch job may not have been stored gets it (idempotent). */
  async resume(): Promise<void> {
    for (const { value } of await this.deps.store.campaigns.find({ status: 'scheduled' }))
      await this.scheduleDispatch(value);
  }

  /**
   * The dispatch job: resolves the audience at send time, records a CampaignRecipient per person and
   * hands one Outgoing per person to the sender (stable keys), then schedules reminders and the close.
   * Every step is idempotent, so a job re-run after a crash sends nothing twice.
   */
  async dispatch(campaignId: string): Promise<void> {
    const { store, sender, clock, log } = this.deps;
    const stored = await store.campaigns.get(campaignId);
    if (!stored || (stored.value.status !== 'scheduled' && stored.value.status !== 'sending')) return;
    const campaign = stored.value;
    const people = await this.audience(campaign);
    if (people.length === 0) {
      log.warn({ campaignId }, 'the audience was empty at send time; the campaign is cancelled');
      await this.transition(campaignId, 'cancel', SYSTEM, 'empty audience at send time');
      return;
    }
    await store.transaction(async (tx) => {
      const existing = new Set(
        (await tx.campaignRecipients.find({ campaignId })).map((r) => r.value.personId),
      );
      for (const person of people) {
        if (existing.has(person.id)) continue;
        await tx.campaignRecipients.insert({
          id: recipientId(campaignId, person.id),
          campaignId,
          personId: person.id,
          unitId: person.unitId,
        });
      }
    });
    const outgoing: Outgoing[] = people.map((p) => ({
      key: deliveryKey.message(campaignId, p.id),
      personId: p.id,
      kind: deliveryKinds.message,
      recordId: campaignId,
    }));
    await sender.enqueue(campaignId, outgoing);
    if (campaign.status === 'scheduled') {
      const now = clock().toISOString();
      await this.transition(
        campaignId,
        'dispatch',
        campaign.sendRequestedBy ?? SYSTEM,
        `${people.length} recipients`,
        { dispatchedAt: now, targeted: people.length },
      );
    }
    const { scheduler } = this.deps;
    for (const [index, dueAt] of campaign.reminderAt.entries()) {
      await scheduler.schedule({
        id: jobId.reminder(campaignId, index),
        kind: jobKinds.reminder,
        dueAt,
        payload: { campaignId, index: String(index) },
      });
    }
    if (campaign.closeAt)
      await scheduler.schedule({
        id: jobId.close(campaignId),
        kind: jobKinds.close,
        dueAt: campaign.closeAt,
        payload: { campaignId },
      });
  }

  /** A reminder job: a new message to exactly those whose message arrived and who have not taken it in. */
  async remind(campaignId: string, index: number): Promise<void> {
    const { store, sender, clock } = this.deps;
    const stored = await store.campaigns.get(campaignId);
    if (stored?.value.status !== 'sending') return;
    const recipients = (await store.campaignRecipients.find({ campaignId })).map((r) => r.value);
    const people = needsReminder(stored.value, recipients, await this.messageDeliveries(campaignId));
    await sender.enqueue(
      campaignId,
      people.map((personId) => ({
        key: deliveryKey.reminder(campaignId, index, personId),
        personId,
        kind: deliveryKinds.reminder,
        recordId: campaignId,
      })),
    );
    await store.auditEvents.append(
      event(SYSTEM, 'campaign', campaignId, `remind-${index + 1}`, clock().toISOString(), {
        comment: `${people.length} recipients`,
      }),
    );
  }

  /** The close job: no more answers; anything still queued is not sent. */
  async close(campaignId: string): Promise<void> {
    const stored = await this.deps.store.campaigns.get(campaignId);
    if (!stored || !inState(stored.value, 'close')) return;
    await this.transition(campaignId, 'close', SYSTEM, undefined, {
      closedAt: this.deps.clock().toISOString(),
    });
    await this.deps.sender.cancel(campaignId);
  }

  /** Cancels a draft, a scheduled or a sending campaign: further sends stop promptly. */
  async cancel(actorId: string, campaignId: string): Promise<{ campaign: Campaign; stopped: number }> {
    this.authorize(await this.actor(actorId), 'cancel');
    const { value } = await this.load(campaignId);
    if (!inState(value, 'cancel')) throw conflict('campaign.error.notCancellable');
    const campaign = await this.transition(campaignId, 'cancel', actorId, undefined, {
      cancelledBy: actorId,
      cancelledAt: this.deps.clock().toISOString(),
    });
    // the status is set first: a delivery the worker is rendering right now finds the campaign cancelled and is skipped
    const stopped = await this.deps.sender.cancel(campaignId);
    const { scheduler } = this.deps;
    await scheduler.cancel(jobId.send(campaignId));
    for (const index of value.reminderAt.keys()) await scheduler.cancel(jobId.reminder(campaignId, index));
    await scheduler.cancel(jobId.close(campaignId));
    return { campaign, stopped };
  }

  private async transition(
    campaignId: string,
    step: keyof typeof transitions,
    actorId: string,
    comment?: string,
    fields: Partial<Campaign> = {},
  ): Promise<Campaign> {
    const { store, clock } = this.deps;
    for (let attempt = 0; ; attempt++) {
      const stored = await this.load(campaignId);
      if (!inState(stored.value, step))
        throw conflict(step === 'cancel' ? 'campaign.error.notCancellable' : 'campaign.error.notDraft');
      const now = clock().toISOString();
      const next: Campaign = { ...stored.value, ...fields, status: transitions[step].to, updatedAt: now };
      try {
        await store.transaction(async (tx) => {
          await tx.campaigns.update(next, stored.version);
          await tx.auditEvents.append(
            event(actorId, 'campaign', campaignId, step, now, {
              from: stored.value.status,
              to: next.status,
              comment,
            }),
          );
        });
        return next;
      } catch (error) {
        if (!(error instanceof VersionConflict) || attempt >= 3) throw error;
      }
    }
  }

  /** The sender's renderer: the card for this person now, or nothing when it is no longer needed. */
  private async renderFor(
    campaignId: string,
    personId: string,
    reminder: boolean,
  ): Promise<object | undefined> {
    const { store, directory } = this.deps;
    const campaign = (await store.campaigns.get(campaignId))?.value;
    if (!campaign || (campaign.status !== 'scheduled' && campaign.status !== 'sending')) return undefined;
    const person = await directory.person(personId);
    if (!person) return undefined;
    const recipient = (await store.campaignRecipients.get(recipientId(campaignId, personId)))?.value;
    if (!recipient || (reminder && hasTakenIn(campaign, recipient))) return undefined;
    return recipientCard(langOf(person.locale), {
      campaign,
      recipient,
      reminder,
      refreshUserIds: await this.refreshIds(personId),
    });
  }

  private async refreshIds(personId: string): Promise<string[]> {
    const id = await this.deps.teamsIdOf(personId);
    return id ? [id] : [];
  }

  // ---------------------------------------------------------------------------------------------
  // recipients

  /** The recipient's card as it is now (refresh), for the recipient only. */
  async view(actorId: string, lang: 'sv' | 'en', campaignId: string): Promise<object> {
    const { value: campaign } = await this.load(campaignId);
    const recipient = (await this.deps.store.campaignRecipients.get(recipientId(campaignId, actorId)))?.value;
    this.authorize(await this.actor(actorId), 'viewDelivery', { campaign, recipient });
    return recipientCard(lang, {
      campaign,
      recipient,
      reminder: false,
      refreshUserIds: await this.refreshIds(actorId),
    });
  }

  /** "Jag har tagit del av": recorded once, for the caller's own delivery only. */
  async acknowledge(actorId: string, lang: 'sv' | 'en', campaignId: string): Promise<object> {
    return this.respond(actorId, lang, campaignId, 'acknowledge', (campaign, recipient, now) => {
      if (!campaign.requiresAcknowledgement) throw badInput('campaign.error.badAnswer');
      if (recipient.acknowledgedAt) return undefined;
      return { ...recipient, acknowledgedAt: now };
    });
  }

  /** Quiz answers (option indices; null for unanswered): score recorded once, explanations shown. */
  async answerQuiz(
    actorId: string,
    lang: 'sv' | 'en',
    campaignId: string,
    answers: (number | null)[],
  ): Promise<object> {
    return this.respond(actorId, lang, campaignId, 'answer-quiz', (campaign, recipient, now) => {
      const quiz = campaign.quiz;
      if (!quiz || answers.slice(quiz.questions.length).some((a) => a !== null))
        throw badInput('campaign.error.badAnswer');
      const given = quiz.questions.map((q, i) => {
        const a = answers[i] ?? null;
        if (a !== null && (!Number.isInteger(a) || a < 0 || a >= q.options.length))
          throw badInput('campaign.error.badAnswer');
        return a;
      });
      // the card requires every answer; a client that skips its validation is held to the same rule
      if (!recipient.quiz && given.some((a) => a === null)) throw badInput('campaign.error.quizIncomplete');
      if (recipient.quiz) return undefined;
      return { ...recipient, quiz: { answers: given, ...scoreQuiz(quiz, given), answeredAt: now } };
    });
  }

  private async respond(
    actorId: string,
    lang: 'sv' | 'en',
    campaignId: string,
    action: string,
    change: (campaign: Campaign, recipient: CampaignRecipient, now: string) => CampaignRecipient | undefined,
  ): Promise<object> {
    const { store, clock } = this.deps;
    const { value: campaign } = await this.load(campaignId);
    const id = recipientId(campaignId, actorId);
    const actor = await this.actor(actorId);
    for (let attempt = 0; ; attempt++) {
      const stored = await store.campaignRecipients.get(id);
      if (!stored) {
        // an author pressing the buttons of a preview
        if (policy.can(actor, 'preview', { campaign }))
          throw new AppError({ id: 'preview_only', status: 400, messageKey: 'campaign.previewOnly' });
        // no delivery of the caller's own to respond to
        throw forbidden('campaign.error.notRecipient');
      }
      // responding needs no role: only that the record is the caller's own and the campaign is out
      if (!policy.can(actor, 'respond', { campaign, recipient: stored.value })) {
        if (stored.value.personId === actorId) throw conflict('campaign.closedNoResponse');
        policy.authorize(actor, 'respond', { campaign, recipient: stored.value });
      }
      const now = clock().toISOString();
      const next = change(campaign, stored.value, now);
      if (!next)
        return recipientCard(lang, {
          campaign,
          recipient: stored.value,
          reminder: false,
          refreshUserIds: await this.refreshIds(actorId),
        });
      try {
        await store.transaction(async (tx) => {
          await tx.campaignRecipients.update(next, stored.version);
          await tx.auditEvents.append(
            event(
              actorId,
              'campaignRecipient',
              id,
              action,
              now,
              next.quiz && action === 'answer-quiz' ? { comment: `score ${next.quiz.score}` } : {},
            ),
          );
        });
        return recipientCard(lang, {
          campaign,
          recipient: next,
          reminder: false,
          refreshUserIds: await this.refreshIds(actorId),
        });
      } catch (error) {
        if (!(error instanceof VersionConflict) || attempt >= 3) throw error;
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // figures

  private async messageDeliveries(campaignId: string): Promise<Delivery[]> {
    return (await this.deps.sender.deliveries(campaignId)).filter((d) => d.kind === deliveryKinds.message);
  }

  async figures(
    actorId: string,
    campaignId: string,
  ): Promise<{ campaign: Campaign; figures: Figures; at: string; unreached: Unreached[] }> {
    this.authorize(await this.actor(actorId), 'seeFigures');
    const { value: campaign } = await this.load(campaignId);
    // who the campaign did not reach, and why: the figures say how many, the author must know who to follow up
    const unreached: Unreached[] = [];
    for (const d of await this.messageDeliveries(campaignId)) {
      if (d.status !== 'failed') continue;
      const name = (await this.deps.directory.person(d.personId))?.name ?? d.personId;
      unreached.push({ personId: d.personId, name, reason: d.failure?.reason ?? 'other' });
    }
    unreached.sort((a, b) => a.name.localeCompare(b.name, 'sv'));
    return {
      campaign,
      figures: await this.figuresOf(campaign),
      at: this.deps.clock().toISOString(),
      unreached,
    };
  }

  private async figuresOf(campaign: Campaign): Promise<Figures> {
    const recipients = (await this.deps.store.campaignRecipients.find({ campaignId: campaign.id })).map(
      (r) => r.value,
    );
    return computeFigures(
      recipients,
      await this.messageDeliveries(campaign.id),
      await this.deps.directory.units(),
    );
  }

  async csv(
    actorId: string,
    lang: 'sv' | 'en',
    campaignId: string,
  ): Promise<{ name: string; bytes: Uint8Array }> {
    const { campaign, figures } = await this.figures(actorId, campaignId);
    const slug =
      campaign.title
        .normalize('NFD')
        .replace(/[^\w]+/g, '-')
        .replace(/^-|-$/g, '')
        .toLowerCase() || campaign.id;
    return { name: `${slug}.csv`, bytes: figuresCsv(lang, figures) };
  }

  /** "Hur ligger min enhet till?": every sent campaign, counted over the units the manager answers for. */
  async ownUnit(
    actorId: string,
  ): Promise<{ unitNames: string[]; campaigns: { campaign: Campaign; tally: Tally }[] }> {
    const actor = await this.actor(actorId);
    this.authorize(actor, 'seeOwnUnit');
    const units = await this.deps.directory.units();
    const unitNames = units.filter((u) => u.managerId === actorId).map((u) => u.name);
    const campaigns: { campaign: Campaign; tally: Tally }[] = [];
    const sent = [
      ...(await this.deps.store.campaigns.find({ status: 'sending' })),
      ...(await this.deps.store.campaigns.find({ status: 'closed' })),
    ];
    for (const { value: campaign } of sent.sort((a, b) =>
      (b.value.dispatchedAt ?? '').localeCompare(a.value.dispatchedAt ?? ''),
    )) {
      const recipients = (await this.deps.store.campaignRecipients.find({ campaignId: campaign.id }))
        .map((r) => r.value)
        .filter((r) => actor.managedUnits.has(r.unitId));
      if (recipients.length === 0) continue;
      campaigns.push({
        campaign,
        tally: computeFigures(recipients, await this.messageDeliveries(campaign.id), units).total,
      });
    }
    return { unitNames, campaigns };
  }

  /** The list the chat shows: every campaign, with its figures once it has gone out. */
  async overview(actorId: string): Promise<{ campaign: Campaign; tally?: Tally }[]> {
    const campaigns = await this.list(actorId);
    return Promise.all(
      campaigns.map(async (campaign) =>
        campaign.dispatchedAt ? { campaign, tally: (await this.figuresOf(campaign)).total } : { campaign },
      ),
    );
  }

  /** Campaigns out to the person that still wait for their acknowledgement (only their own recipient records). */
  async awaiting(personId: string): Promise<Campaign[]> {
    const mine = (await this.deps.store.campaignRecipients.find({ personId })).map((r) => r.value);
    const waiting: Campaign[] = [];
    for (const recipient of mine) {
      if (recipient.acknowledgedAt) continue;
      const campaign = (await this.deps.store.campaigns.get(recipient.campaignId))?.value;
      if (campaign?.status === 'sending' && campaign.requiresAcknowledgement) waiting.push(campaign);
    }
    return waiting;
  }

  async list(actorId: string): Promise<Campaign[]> {
    this.authorize(await this.actor(actorId), 'seeFigures');
    return (await this.deps.store.campaigns.list())
      .map((s) => s.value)
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }
}

/** The content part of a campaign (what an author edits). */
export function contentOf(campaign: Campaign): CampaignContent {
  const {
    title,
    text,
    imageUrl,
    documentUrl,
    documentTitle,
    requiresAcknowledgement,
    quiz,
    audience,
    sendAt,
    reminderAt,
    closeAt,
  } = campaign;
  const content: CampaignContent = { title, text, requiresAcknowledgement, audience, reminderAt };
  if (imageUrl !== undefined) content.imageUrl = imageUrl;
  if (documentUrl !== undefined) content.documentUrl = documentUrl;
  if (documentTitle !== undefined) content.documentTitle = documentTitle;
  if (quiz !== undefined) content.quiz = quiz;
  if (sendAt !== undefined) content.sendAt = sendAt;
  if (closeAt !== undefined) content.closeAt = closeAt;
  return content;
}

const conflict = (messageKey: AppError['messageKey']) =>
  new AppError({ id: 'conflict', status: 409, messageKey });

function event(
  actorId: string,
  recordType: string,
  recordId: string,
  action: string,
  at: string,
  extra: { from?: string; to?: string; comment?: string } = {},
): AuditEvent {
  return auditEvent({
    at,
    actorId,
    recordType,
    recordId,
    action,
    fromState: extra.from || undefined,
    toState: extra.to || undefined,
    comment: extra.comment || undefined,
  });
}
