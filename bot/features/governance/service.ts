import { type AuditEvent, auditEvent } from '../../platform/audit/model';
import type { Delivery, Renderer, Sender } from '../../platform/delivery/port';
import { badInput, notFound } from '../../platform/errors';
import { type Lang, langOf } from '../../platform/i18n';
import type { Logger } from '../../platform/logger';
import type { Messenger, SentMessage } from '../../platform/messaging';
import { type Actor, Actors } from '../../platform/org/actor';
import type { Directory } from '../../platform/org/model';
import type { Job, JobHandler, Scheduler } from '../../platform/schedule/port';
import { type Store, type Stored, VersionConflict } from '../../platform/store';
import { CardCopies } from '../../platform/teams/copies';
import { addDays, addYears, isValidDay, stockholmDay, stockholmTime } from '../../platform/time';
import type { DocumentRecord } from '../knowledge/model';
import type { DocumentReview, DocumentReviewOutcome } from './model';
import { type DocumentReviewAbility, documentReviewPolicy as policy } from './policy';
import { MAX_COMMENT_CHARS, reviewCard } from './present';
import { isDue, nextReviewOf, ownerRoleOf, REMINDER_AFTER_DAYS, transitions } from './rules';

/** The scheduler's job kind and the sender's card kinds. */
export const REVIEW_JOB = 'governance.documentReview';
export const REMINDER_JOB = 'governance.documentReviewReminder';
export const REVIEW_CARD = 'governance.documentReview';
export const REVISION_NOTICE = 'governance.revisionNeeded';
const SYSTEM = 'system';
const RECORD_TYPE = 'documentReview';

export interface GovernanceDeps {
  store: Store;
  directory: Directory;
  sender: Sender;
  scheduler: Scheduler;
  messenger: Messenger;
  log: Logger;
  clock: () => Date;
  /** Teams user ids (29:…) of people, for card refresh. */
  teamsIdOf: (personId: string) => Promise<string | undefined>;
}

export interface AnswerInput {
  outcome: DocumentReviewOutcome;
  comment?: string;
}

/** The reviews' notices go out at 08:00 Stockholm time. */
const NOTIFY_HOUR = 8;
const dueAt = (date: string) => stockholmTime(date, NOTIFY_HOUR).toISOString();

/** The copies of one review period's cards: a document is reviewed again every period. */
const periodOf = (documentId: string, date: string) => `${documentId}@${date}`;

const event = (e: Omit<AuditEvent, 'id' | 'recordType'>): AuditEvent =>
  auditEvent({ recordType: RECORD_TYPE, ...e });

export class GovernanceService {
  private readonly actors: Actors;
  private readonly copies: CardCopies;

  constructor(private readonly deps: GovernanceDeps) {
    this.actors = new Actors({ directory: deps.directory, clock: deps.clock });
    this.copies = new CardCopies({ store: deps.store, messenger: deps.messenger, log: deps.log });
  }

  /** The scheduler jobs: opening a document's review on its date, and the reminder. */
  jobs(): Record<string, JobHandler> {
    return {
      [REVIEW_JOB]: (job: Job) => this.open(job.payload.documentId ?? '', job.payload.date ?? ''),
      [REMINDER_JOB]: (job: Job) => this.remind(job.payload.documentId ?? '', job.payload.date ?? ''),
    };
  }

  /** The sender's renderers: the review task card, and the notice of a revision. */
  renderers(): Record<string, Renderer> {
    return {
      [REVIEW_CARD]: {
        render: async (documentId, personId) => {
          const review = await this.deps.store.documentReviews.get(documentId);
          // the task was answered before the card went out: nothing to send
          if (review?.value.state !== 'awaitingAnswer') return undefined;
          return this.cardFor(personId, review.value);
        },
        sent: (delivery: Delivery, message: SentMessage) => this.remember(delivery, message),
      },
      [REVISION_NOTICE]: {
        render: async (documentId, personId) => {
          const review = await this.deps.store.documentReviews.get(documentId);
          return review ? this.cardFor(personId, review.value) : undefined;
        },
        sent: (delivery: Delivery, message: SentMessage) => this.remember(delivery, message),
      },
    };
  }

  /** Registers the jobs and renderers with the scheduler and the sender (the app does this from the feature's face). */
  register(): void {
    for (const [kind, handler] of Object.entries(this.jobs())) this.deps.scheduler.register(kind, handler);
    for (const [kind, renderer] of Object.entries(this.renderers()))
      this.deps.sender.register(kind, renderer);
  }

  private async chiefIds(): Promise<string[]> {
    return (await this.deps.directory.withRole('securityChief')).map((p) => p.id);
  }

  private actor(personId: string): Promise<Actor> {
    return this.actors.of(personId);
  }

  /** The owner as the directory knows them: the role the document names, else the security chief. */
  private async ownersOf(document: DocumentRecord): Promise<string[]> {
    const role = ownerRoleOf(document.owner);
    const named = role ? (await this.deps.directory.withRole(role)).map((p) => p.id) : [];
    return named.length > 0 ? named : this.chiefIds();
  }

  private today(): string {
    return stockholmDay(this.deps.clock());
  }

  private jobId(review: Pick<DocumentReview, 'documentId' | 'nextReviewDate'>): string {
    return `governance:review:${review.documentId}:${review.nextReviewDate}`;
  }

  private reminderJobId(review: Pick<DocumentReview, 'documentId' | 'nextReviewDate'>): string {
    return `governance:reminder:${review.documentId}:${review.nextReviewDate}`;
  }

  private async schedule(review: DocumentReview): Promise<void> {
    await this.deps.scheduler.schedule({
      id: this.jobId(review),
      kind: REVIEW_JOB,
      dueAt: dueAt(review.nextReviewDate),
      payload: { documentId: review.documentId, date: review.nextReviewDate },
    });
  }

  /**
   * Creates or refreshes the review of every imported document that says when it is reviewed,
   * and schedules each open date. Idempotent: an unchanged document costs a read and no write.
   */
  async sync(): Promise<{ scheduled: number; skipped: string[] }> {
    const { store, log } = this.deps;
    const skipped: string[] = [];
    let scheduled = 0;
    const today = this.today();
    for (const { value: document } of await store.documents.list()) {
      const existing = await store.documentReviews.get(document.id);
      const byHand = existing?.value.setByHand;
      const next =
        nextReviewOf(document, today) ??
        (existing
          ? { date: existing.value.nextReviewDate, periodYears: existing.value.periodYears }
          : undefined);
      if (!next) {
        skipped.push(document.title);
        continue;
      }
      // what the security function set in the tab stands over what the document's text says
      const ownerIds = byHand?.owner ? (existing?.value.ownerIds ?? []) : await this.ownersOf(document);
      if (ownerIds.length === 0) {
        log.warn(
          { document: document.title, owner: document.owner },
          'a governing document has no owner in the directory and there is no security chief',
        );
        skipped.push(document.title);
        continue;
      }
      const facts = {
        title: document.title,
        link: document.link,
        ownerText: byHand?.owner ? existing?.value.ownerText : document.owner,
        ownerIds,
        periodYears: next.periodYears,
      };
      let review: DocumentReview;
      if (!existing) {
        review = {
          id: document.id,
          documentId: document.id,
          ...facts,
          nextReviewDate: next.date,
          state: 'scheduled',
          answers: [],
        };
        await store.transaction(async (tx) => {
          await tx.documentReviews.insert(review);
          await tx.auditEvents.append(
            event({
              at: this.deps.clock().toISOString(),
              actorId: SYSTEM,
              recordId: document.id,
              action: 'schedule',
              toState: 'scheduled',
              comment: next.date,
            }),
          );
        });
      } else {
        const current = existing.value;
        // a revised document that names a later date moves a waiting review to it
        const nextReviewDate =
          !byHand?.date &&
          current.state === 'scheduled' &&
          /\d{4}-\d{2}-\d{2}/.test(document.nextReview ?? '') &&
          next.date > current.nextReviewDate
            ? next.date
            : current.nextReviewDate;
        review = { ...current, ...facts, nextReviewDate };
        if (JSON.stringify(review) !== JSON.stringify(current)) {
          try {
            await store.transaction(async (tx) => {
              await tx.documentReviews.update(review, existing.version);
              await tx.auditEvents.append(
                event({
                  at: this.deps.clock().toISOString(),
                  actorId: SYSTEM,
                  recordId: document.id,
                  action: 'sync',
                  fromState: current.state,
                  toState: review.state,
                  comment: nextReviewDate,
                }),
              );
            });
          } catch (error) {
            if (!(error instanceof VersionConflict)) throw error;
            review = (await this.load(document.id)).value; // someone answered meanwhile; their answer stands
          }
          if (review.nextReviewDate !== current.nextReviewDate)
            await this.deps.scheduler.cancel(this.jobId(current));
        }
      }
      if (review.state === 'scheduled') {
        await this.schedule(review);
        scheduled++;
      }
    }
    return { scheduled, skipped };
  }

  private async load(documentId: string): Promise<Stored<DocumentReview>> {
    const stored = await this.deps.store.documentReviews.get(documentId);
    if (!stored) throw notFound();
    return stored;
  }

  /**
   * The job at the review date: opens the task and has the sender bring the owners their card.
   * A re-run (after a crash) sends nothing twice: the deliveries' keys are stable.
   */
  async open(documentId: string, date: string): Promise<void> {
    const { store, clock } = this.deps;
    let stored = await store.documentReviews.get(documentId);
    if (!stored) return;
    if (isDue(stored.value, date)) {
      // a new period: its cards are remembered as copies of this period; the last period's legacy list goes
      const { cards: _lastPeriod, ...rest } = stored.value;
      const opened: DocumentReview = { ...rest, state: transitions.open.to };
      try {
        await store.transaction(async (tx) => {
          await tx.documentReviews.update(opened, stored?.version ?? '');
          await tx.auditEvents.append(
            event({
              at: clock().toISOString(),
              actorId: SYSTEM,
              recordId: documentId,
              action: 'open',
              fromState: transitions.open.from,
              toState: transitions.open.to,
            }),
          );
        });
      } catch (error) {
        if (!(error instanceof VersionConflict)) throw error;
      }
      stored = await this.load(documentId);
    }
    const review = stored.value;
    if (review.state !== 'awaitingAnswer' || review.nextReviewDate !== date) return; // stale job
    await this.enqueueCards(review, 'review', review.ownerIds);
    await this.deps.scheduler.schedule({
      id: this.reminderJobId(review),
      kind: REMINDER_JOB,
      dueAt: dueAt(addDays(date, REMINDER_AFTER_DAYS)),
      payload: { documentId, date },
    });
  }

  /** The cards of one step (`review`, `reminder`), one per person, with keys that make a re-run send nothing twice. */
  private async enqueueCards(review: DocumentReview, step: string, personIds: string[]): Promise<void> {
    const batch = `governance:${step}:${review.documentId}:${review.nextReviewDate}`;
    await this.deps.sender.enqueue(
      batch,
      personIds.map((personId) => ({
        key: `${batch}:${personId}`,
        personId,
        kind: REVIEW_CARD,
        recordId: review.documentId,
      })),
    );
  }

  /**
   * Unanswered after REMINDER_AFTER_DAYS: the owners get the card again, and the security chief
   * (who may answer too) gets it as well. An answered or moved review gets nothing.
   */
  async remind(documentId: string, date: string): Promise<void> {
    const review = (await this.deps.store.documentReviews.get(documentId))?.value;
    if (review?.state !== 'awaitingAnswer' || review.nextReviewDate !== date) return;
    await this.enqueueCards(review, 'reminder', [
      ...new Set([...review.ownerIds, ...(await this.chiefIds())]),
    ]);
  }

  /** A card out about a review period (the delivery's batch ends with the period's date). */
  private remember(delivery: Delivery, message: SentMessage): Promise<void> {
    const date = delivery.batchId.slice(delivery.batchId.lastIndexOf(':') + 1);
    return this.copies.remember(periodOf(delivery.recordId, date), message, { id: delivery.key });
  }

  private async refreshIds(review: DocumentReview): Promise<string[]> {
    const ids: string[] = [];
    for (const personId of new Set([...review.ownerIds, ...(await this.chiefIds())])) {
      const id = await this.deps.teamsIdOf(personId);
      if (id) ids.push(id);
    }
    return ids;
  }

  private async cardFor(personId: string, review: DocumentReview, lang?: Lang): Promise<object> {
    const person = await this.deps.directory.person(personId);
    const document = (await this.deps.store.documents.get(review.documentId))?.value;
    return reviewCard(
      lang ?? langOf(person?.locale),
      await this.actor(personId),
      review,
      document,
      await this.refreshIds(review),
    );
  }

  /** The reviews the person may see (the documents they own; every one for the security chief), with what they may do. */
  async listFor(
    actorId: string,
  ): Promise<{ review: DocumentReview; abilities: Record<DocumentReviewAbility, boolean> }[]> {
    const actor = await this.actor(actorId);
    return (await this.deps.store.documentReviews.list())
      .map((stored) => stored.value)
      .filter((review) => policy.can(actor, 'view', review))
      .sort((a, b) => a.nextReviewDate.localeCompare(b.nextReviewDate))
      .map((review) => ({ review, abilities: policy.abilitiesOf(actor, review) }));
  }

  /** The current card for whoever may see it (refresh, a stale card). */
  async view(actorId: string, lang: Lang, documentId: string): Promise<object> {
    const { value: review } = await this.load(documentId);
    policy.authorize(await this.actor(actorId), 'view', review);
    return this.cardFor(actorId, review, lang);
  }

  /** The owner's (or the security chief's) answer. A second click or a stale card shows the current state. */
  async answer(actorId: string, lang: Lang, documentId: string, input: AnswerInput): Promise<object> {
    const { store, clock, sender } = this.deps;
    const stored = await this.load(documentId);
    const actor = await this.actor(actorId);
    policy.authorize(actor, 'view', stored.value);
    if (!policy.can(actor, 'answer', stored.value)) return this.cardFor(actorId, stored.value, lang);
    const comment = input.comment?.trim() || undefined;
    if (comment && comment.length > MAX_COMMENT_CHARS)
      throw badInput('governance.commentTooLong', { max: MAX_COMMENT_CHARS });
    if (input.outcome === 'needsRevision' && !comment) throw badInput('governance.commentRequired');

    const now = clock().toISOString();
    const person = await this.deps.directory.person(actorId);
    const before = stored.value;
    const answered: DocumentReview = {
      ...before,
      state: transitions.answer.to,
      nextReviewDate: addYears(before.nextReviewDate, before.periodYears),
      answers: [
        ...before.answers,
        {
          outcome: input.outcome,
          comment,
          byId: actorId,
          byName: person?.name ?? actorId,
          at: now,
          reviewDate: before.nextReviewDate,
        },
      ],
    };
    try {
      await store.transaction(async (tx) => {
        await tx.documentReviews.update(answered, stored.version);
        await tx.auditEvents.append(
          event({
            at: now,
            actorId,
            recordId: documentId,
            action: input.outcome,
            fromState: transitions.answer.from,
            toState: transitions.answer.to,
            comment,
          }),
        );
      });
    } catch (error) {
      if (error instanceof VersionConflict)
        return this.cardFor(actorId, (await this.load(documentId)).value, lang);
      throw error;
    }
    await this.schedule(answered);
    await this.deps.scheduler.cancel(this.reminderJobId(before));
    await this.copies.update(
      periodOf(documentId, before.nextReviewDate),
      (copy) => this.cardFor(copy.personId, answered),
      before.cards,
    );
    if (input.outcome === 'needsRevision') {
      const others = (await this.chiefIds()).filter((id) => id !== actorId);
      await sender.enqueue(
        `governance:revision:${documentId}:${before.nextReviewDate}`,
        others.map((personId) => ({
          key: `governance:revision:${documentId}:${before.nextReviewDate}:${personId}`,
          personId,
          kind: REVISION_NOTICE,
          recordId: documentId,
        })),
      );
    }
    return this.cardFor(actorId, answered, lang);
  }

  /**
   * Every imported governing document as the tab's Dokument view shows it: for the security function all
   * of them (with or without a review yet), for others the ones whose review they may see; with abilities,
   * and the people who may be named owner (those who hold a role beyond employee: a bounded list).
   */
  async documentsFor(actorId: string): Promise<{ documents: DocumentRow[]; owners: OwnerChoice[] }> {
    const { store, directory } = this.deps;
    const actor = await this.actor(actorId);
    const reviews = new Map((await store.documentReviews.list()).map((r) => [r.value.documentId, r.value]));
    const documents: DocumentRow[] = [];
    for (const { value: document } of await store.documents.list()) {
      const review = reviews.get(document.id);
      const subject = review ?? unscheduled(document);
      if (!policy.can(actor, 'view', subject) && !policy.can(actor, 'edit', subject)) continue;
      documents.push({ document, review, abilities: policy.abilitiesOf(actor, subject) });
    }
    documents.sort((a, b) => a.document.title.localeCompare(b.document.title, 'sv'));
    if (!actor.securityFunction) return { documents, owners: [] };
    const owners = new Map<string, OwnerChoice>();
    for (const role of OWNER_CHOICE_ROLES)
      for (const person of await directory.withRole(role))
        owners.set(person.id, { id: person.id, name: person.name });
    return {
      documents,
      owners: [...owners.values()].sort((a, b) => a.name.localeCompare(b.name, 'sv')),
    };
  }

  /**
   * The security function sets a document's owner and/or next review date. The review is created if the
   * document had none (its text named no date); the change, its audit event and the owner's review task
   * (the job at the new date) commit together; a sync keeps the values (`setByHand`).
   */
  async setDetails(
    actorId: string,
    documentId: string,
    input: { ownerId?: string; nextReviewDate?: string },
  ): Promise<DocumentRow> {
    const { store, directory, clock } = this.deps;
    const document = (await store.documents.get(documentId))?.value;
    if (!document) throw notFound();
    const actor = await this.actor(actorId);
    const existing = await store.documentReviews.get(documentId);
    policy.authorize(actor, 'edit', existing?.value ?? unscheduled(document));
    const owner = input.ownerId ? await directory.person(input.ownerId) : undefined;
    if (input.ownerId && !owner) throw badInput('governance.unknownOwner');
    const date = input.nextReviewDate;
    if (date !== undefined && (!isValidDay(date) || date <= this.today()))
      throw badInput('governance.dateNotAhead');
    const current = existing?.value;
    if (!current && !date) throw badInput('governance.dateNeeded');
    if (current?.state === 'awaitingAnswer' && date && date !== current.nextReviewDate)
      throw badInput('governance.dateWhileOpen');
    const now = clock().toISOString();
    const by = await directory.person(actorId);
    const base: DocumentReview = current ?? {
      id: document.id,
      documentId: document.id,
      title: document.title,
      link: document.link,
      ownerText: document.owner,
      ownerIds: await this.ownersOf(document),
      nextReviewDate: date ?? '',
      periodYears: nextReviewOf(document, this.today())?.periodYears ?? 1,
      state: 'scheduled',
      answers: [],
    };
    const next: DocumentReview = {
      ...base,
      ...(owner ? { ownerIds: [owner.id], ownerText: owner.name } : {}),
      ...(date ? { nextReviewDate: date } : {}),
      setByHand: {
        owner: Boolean(owner) || Boolean(current?.setByHand?.owner),
        date: Boolean(date) || Boolean(current?.setByHand?.date),
        byId: actorId,
        byName: by?.name ?? actorId,
        at: now,
      },
    };
    const newOwner = owner && !base.ownerIds.includes(owner.id);
    let wake: (() => void) | undefined;
    await store.transaction(async (tx) => {
      if (existing) await tx.documentReviews.update(next, existing.version);
      else await tx.documentReviews.insert(next);
      await tx.auditEvents.append(
        event({
          at: now,
          actorId,
          recordId: documentId,
          action: 'set',
          fromState: current?.state,
          toState: next.state,
          comment: [owner ? `owner ${owner.name}` : '', date ? `review ${date}` : '']
            .filter(Boolean)
            .join('; '),
        }),
      );
      if (next.state === 'scheduled')
        await this.deps.scheduler.schedule(
          {
            id: this.jobId(next),
            kind: REVIEW_JOB,
            dueAt: dueAt(next.nextReviewDate),
            payload: { documentId, date: next.nextReviewDate },
          },
          { tx },
        );
      // an open task moves to its new owner at once
      else if (newOwner) {
        const batch = `governance:review:${documentId}:${next.nextReviewDate}`;
        wake = await this.deps.sender.enqueueWithin(tx, batch, [
          { key: `${batch}:${owner.id}`, personId: owner.id, kind: REVIEW_CARD, recordId: documentId },
        ]);
      }
    });
    wake?.();
    // the task at the old date finds the review moved and does nothing; cancelling it keeps the queue tidy
    if (current && current.nextReviewDate !== next.nextReviewDate)
      await this.deps.scheduler.cancel(this.jobId(current));
    return { document, review: next, abilities: policy.abilitiesOf(actor, next) };
  }
}

/** One row of the tab's Dokument view. */
export interface DocumentRow {
  document: DocumentRecord;
  review?: DocumentReview;
  abilities: Record<DocumentReviewAbility, boolean>;
}

export interface OwnerChoice {
  id: string;
  name: string;
}

/** Who may be named a document's owner: people who hold a role beyond employee. */
const OWNER_CHOICE_ROLES = [
  'securityChief',
  'securityOfficer',
  'regionalDirector',
  'headOfAdministration',
  'dataProtectionOfficer',
  'unitManager',
] as const;

/** A document with no review yet, as the policy sees it: nobody owns its review. */
const unscheduled = (document: DocumentRecord): DocumentReview => ({
  id: document.id,
  documentId: document.id,
  title: document.title,
  link: document.link,
  ownerIds: [],
  nextReviewDate: '',
  periodYears: 1,
  state: 'scheduled',
  answers: [],
});
