/**
 * Questions: ask (answer from the documents or abstain), feedback, escalate to the security
 * function, answer. Each command reloads the record, authorizes the actor, acts with a version
 * check, writes an audit event in the same transaction, and returns what the actor should see.
 */

import { randomUUID } from 'node:crypto';
import { auditEvent } from '../../platform/audit/model';
import type { Delivery, Renderer, Sender } from '../../platform/delivery/port';
import { AppError, badInput, notFound } from '../../platform/errors';
import { langOf, t } from '../../platform/i18n';
import type { Logger } from '../../platform/logger';
import type { Messenger, SentMessage } from '../../platform/messaging';
import { type Actor, Actors } from '../../platform/org/actor';
import type { Directory } from '../../platform/org/model';
import { type Store, type Stored, VersionConflict } from '../../platform/store';
import type { GroupCommit, StoreWrite } from '../../platform/store/groupCommit';
import { CardCopies } from '../../platform/teams/copies';
import { type AnswerView, answerViewOf } from '../knowledge/answer';
import { type Channel, channelsFor } from '../knowledge/channels';
import type { KnowledgeService } from '../knowledge/service';
import { type Gap, gapsOf } from './gaps';
import type { Question } from './model';
import { questionPolicy as policy, questionAbilities, transitions } from './policy';
import {
  answerCard,
  deliveredCard,
  MAX_ANSWER_CHARS,
  type OpenQuestion,
  openQuestionsCard,
  questionCard,
  undeliveredCard,
} from './present';

/** The sender's kinds: the escalated question to each member of the security function, and the asker told when none was reached. */
export const questionKinds = {
  escalated: 'questions.escalated',
  undelivered: 'questions.undelivered',
} as const;
const batchOf = (questionId: string) => `question:${questionId}`;

/** The kinds of a question's cards: the asker's answer card, a security function member's question card. */
const ASKER = 'asker';
const FUNCTION = 'function';

export interface QuestionWithAbilities {
  question: Question;
  abilities: Record<(typeof questionAbilities)[number], boolean>;
}

export interface Asker {
  id: string;
  name: string;
  locale: string;
}

export interface QuestionServiceDeps {
  store: Store;
  knowledge: KnowledgeService;
  directory: Directory;
  messenger: Messenger;
  log: Logger;
  clock: () => Date;
  /** Configured security function (aadObjectIds); empty means people with a security role. */
  securityFunctionIds: string[];
  /** Teams user ids (29:…) of people, for card refresh; optional. */
  teamsIdOf: (personId: string) => Promise<string | undefined>;
  /** Where questions the documents cannot answer belong instead (content/channels.json); none when absent. */
  channels?: Channel[];
  /** The store's group commit: a question is written in a transaction shared with other turns (see store/groupCommit.ts). */
  commits: GroupCommit<StoreWrite>;
  /** The durable sender: escalation cards go out through it (it opens chats with people who never wrote to the bot). */
  sender: Sender;
}

export class QuestionService {
  private readonly actors: Actors;
  private readonly copies: CardCopies;

  constructor(private readonly deps: QuestionServiceDeps) {
    this.actors = new Actors({
      directory: deps.directory,
      clock: deps.clock,
      securityFunctionIds: deps.securityFunctionIds,
    });
    this.copies = new CardCopies({ store: deps.store, messenger: deps.messenger, log: deps.log });
  }

  securityFunction(): Promise<string[]> {
    return this.actors.securityFunction();
  }

  /** The escalation's renderers, registered with the sender by the composition root. */
  renderers(): Record<string, Renderer> {
    return {
      [questionKinds.escalated]: {
        render: async (questionId, personId) => {
          const question = (await this.deps.store.questions.get(questionId))?.value;
          // answered meanwhile: the member no longer needs the card
          if (question?.status !== 'escalated') return undefined;
          const member = await this.deps.directory.person(personId);
          return questionCard(
            langOf(member?.locale),
            await this.actor(personId),
            question,
            await this.refreshIds(await this.securityFunction()),
          );
        },
        // remembered as a copy of the function's card, so that an answer updates it for everyone
        sent: (delivery, message) => this.copies.rememberDelivery(delivery, message, FUNCTION),
        failed: (delivery) => this.escalationFailed(delivery),
      },
      [questionKinds.undelivered]: {
        render: async (questionId, personId) => {
          const question = (await this.deps.store.questions.get(questionId))?.value;
          if (question?.status !== 'escalated') return undefined;
          return undeliveredCard(langOf((await this.deps.directory.person(personId))?.locale), question);
        },
      },
    };
  }

  /**
   * When no member of the security function could be reached, the asker is told so (the question is
   * kept and stands in the function's list of open questions), rather than believing it arrived.
   */
  private async escalationFailed(delivery: Delivery): Promise<void> {
    const { sender, log } = this.deps;
    const cards = (await sender.deliveries(delivery.batchId)).filter(
      (d) => d.kind === questionKinds.escalated,
    );
    if (cards.some((d) => d.status === 'sent' || d.status === 'queued')) return;
    const question = (await this.deps.store.questions.get(delivery.recordId))?.value;
    if (question?.status !== 'escalated') return;
    log.warn({ questionId: question.id }, 'no member of the security function could be reached');
    await sender.enqueue(delivery.batchId, [
      {
        key: `${delivery.batchId}:undelivered`,
        personId: question.askedBy,
        kind: questionKinds.undelivered,
        recordId: question.id,
      },
    ]);
  }

  actor(personId: string): Promise<Actor> {
    return this.actors.of(personId);
  }

  /**
   * Answers from the documents (or abstains) and keeps the question private to the asker. The question
   * is committed (in a transaction shared with the turns of the same moment) before this returns, so
   * no card is ever sent for a question the store does not hold; when the commit fails the asker
   * reads `questionSave.failed`, gets no card, and nothing is stored.
   */
  async ask(asker: Asker, text: string): Promise<{ card: object; question: Question }> {
    const { knowledge, clock } = this.deps;
    const result = await knowledge.search(text);
    const curated = await knowledge.searchCurated(text);
    const answers: AnswerView[] = result.answers.map(answerViewOf);
    const summary =
      answers.length > 0 ? await knowledge.summarise(text, answers, langOf(asker.locale)) : undefined;
    const question: Question = {
      id: randomUUID(),
      askedBy: asker.id,
      askedByName: asker.name,
      locale: asker.locale,
      text,
      askedAt: clock().toISOString(),
      status: 'asked',
      shown: answers.map((a) => ({ documentTitle: a.title, section: a.section, text: a.text, link: a.link })),
      ...(curated.length > 0 ? { curatedShown: curated.map((c) => c.answer) } : {}),
      confidence: result.confidence,
      ...(summary ? { summary } : {}),
      curated: false,
    };
    await this.commit(question.id, async (tx) => {
      await tx.questions.insert(question);
    });
    const actor = await this.actor(asker.id);
    const card = answerCard(langOf(asker.locale), actor, {
      question,
      answers,
      curated: curated.map((c) => ({ text: c.answer })),
      summary,
      confidence: result.confidence,
      abstainReason: result.abstained ? result.reason : undefined,
      channels: result.confidence === 'none' ? channelsFor(text, this.deps.channels ?? []) : [],
      organisation: this.deps.directory.organisation.name,
      feedbackGiven: false,
    });
    return { card, question };
  }

  /**
   * Remembers where the asker's answer card is, so it can be updated when the security function
   * answers. Called once the card is sent; joins the next group commit (the turn waits for it, the
   * asker does not). If that batch fails, the write is tried once more on its own before giving up
   * with a log line: the answer still reaches the asker as a new message, only the old card stays as it was.
   */
  async rememberAskerCard(questionId: string, message: SentMessage): Promise<void> {
    const remember: StoreWrite = async (tx) => {
      const stored = await tx.questions.get(questionId);
      if (!stored) throw new Error(`question ${questionId} is not stored`);
      await this.copies.remember(questionId, message, { kind: ASKER, into: tx });
    };
    try {
      await this.deps.commits.write(remember, questionId);
    } catch (error) {
      this.deps.log.warn(
        { err: error, questionId },
        "the asker's card could not be recorded with its batch; trying alone",
      );
      await this.deps.store.transaction(remember).catch((again: unknown) => {
        this.deps.log.error(
          { err: again, questionId, activityId: message.activityId },
          "the asker's card could not be recorded",
        );
      });
    }
  }

  /** Writes through the group commit; a failed batch is a clear message to the user and nothing stored. */
  private async commit(questionId: string, write: StoreWrite): Promise<void> {
    try {
      await this.deps.commits.write(write, questionId);
    } catch (error) {
      this.deps.log.error({ err: error, questionId }, 'the question could not be stored');
      throw new AppError({ id: 'not_saved', status: 503, messageKey: 'questionSave.failed', cause: error });
    }
  }

  private async load(questionId: string): Promise<Stored<Question>> {
    // a write of this question still in a batch (where its card is) lands before anyone acts on it
    await this.deps.commits.written(questionId);
    const stored = await this.deps.store.questions.get(questionId);
    if (!stored) throw notFound();
    return stored;
  }

  private answerViewFor(
    actor: Actor,
    lang: 'sv' | 'en',
    question: Question,
    extra: { status?: string; feedbackGiven: boolean; unhelpful?: boolean },
  ): object {
    return answerCard(lang, actor, {
      question,
      answers: question.shown.map((s) => ({
        doc: '',
        title: s.documentTitle,
        section: s.section,
        text: s.text,
        link: s.link ?? '',
        score: 0,
      })),
      curated: (question.curatedShown ?? []).map((text) => ({ text })),
      summary: question.summary,
      confidence: question.confidence,
      organisation: this.deps.directory.organisation.name,
      ...extra,
    });
  }

  async feedback(actorId: string, lang: 'sv' | 'en', questionId: string, helpful: boolean): Promise<object> {
    const { store, clock } = this.deps;
    const { value: question } = await this.load(questionId);
    const actor = await this.actor(actorId);
    policy.authorize(actor, 'feedback', question);
    const id = `${questionId}:${actorId}`;
    const record = { id, questionId, personId: actorId, helpful, at: clock().toISOString() };
    const existing = await store.feedback.get(id);
    if (existing) await store.feedback.update(record, existing.version);
    else await store.feedback.insert(record);
    // the card keeps its quotes and links; after 👎, asking the security function comes first
    return this.answerViewFor(actor, lang, question, {
      status: t(lang, helpful ? 'answer.feedbackThanks' : 'answer.feedbackSorry'),
      feedbackGiven: true,
      unhelpful: !helpful,
    });
  }

  /** Sends the question to the security function. A second press shows the current state and sends nothing. */
  async escalate(actorId: string, lang: 'sv' | 'en', questionId: string): Promise<object> {
    const { store, clock, log } = this.deps;
    const stored = await this.load(questionId);
    const actor = await this.actor(actorId);
    policy.authorize(actor, 'asker', stored.value);
    if (!policy.can(actor, 'escalate', stored.value)) {
      return this.answerViewFor(actor, lang, stored.value, { feedbackGiven: true });
    }
    const members = await this.securityFunction();
    if (members.length === 0) {
      return this.answerViewFor(actor, lang, stored.value, {
        status: t(lang, 'escalate.noFunction'),
        feedbackGiven: true,
      });
    }
    const now = clock().toISOString();
    let escalated: Question;
    let wake: () => void = () => undefined;
    try {
      // the question, its audit event and one card per member commit together; the sender delivers
      // them after this turn (opening chats where needed, retrying, recording who was not reached)
      escalated = await store.transaction(async (tx) => {
        const next: Question = { ...stored.value, status: transitions.escalate.to, escalatedAt: now };
        const saved = await tx.questions.update(next, stored.version);
        await tx.auditEvents.append(
          transitionEvent(actorId, questionId, 'escalate', transitions.escalate, now),
        );
        wake = await this.deps.sender.enqueueWithin(
          tx,
          batchOf(questionId),
          members.map((memberId) => ({
            key: `${batchOf(questionId)}:escalate:${memberId}`,
            personId: memberId,
            kind: questionKinds.escalated,
            recordId: questionId,
          })),
        );
        return saved.value;
      });
    } catch (error) {
      if (error instanceof VersionConflict) {
        const current = await this.load(questionId);
        return this.answerViewFor(actor, lang, current.value, { feedbackGiven: true });
      }
      throw error;
    }
    wake();
    log.info({ questionId, members: members.length }, 'question escalated');
    return this.answerViewFor(actor, lang, escalated, { feedbackGiven: true });
  }

  /** "Obesvarade frågor": the escalated questions not yet answered, with whether their cards reached anyone. */
  async openQuestions(actorId: string, lang: 'sv' | 'en'): Promise<object> {
    const questions = (await this.queue(actorId)).map((q) => q.question);
    const open: OpenQuestion[] = [];
    for (const question of questions.sort((a, b) =>
      (a.escalatedAt ?? '').localeCompare(b.escalatedAt ?? ''),
    )) {
      const cards = (await this.deps.sender.deliveries(batchOf(question.id))).filter(
        (d) => d.kind === questionKinds.escalated,
      );
      const names = async (status: Delivery['status']) =>
        Promise.all(
          cards
            .filter((d) => d.status === status)
            .map(async (d) => (await this.deps.directory.person(d.personId))?.name ?? d.personId),
        );
      open.push({
        question,
        sent: cards.filter((d) => d.status === 'sent').length,
        queued: cards.filter((d) => d.status === 'queued').length,
        failedNames: await names('failed'),
      });
    }
    return openQuestionsCard(lang, open);
  }

  /** The security function answers: delivered to the asker's chat, every copy of the card updated. */
  async answer(
    actorId: string,
    lang: 'sv' | 'en',
    questionId: string,
    input: { answer?: unknown; keep?: unknown },
  ): Promise<object> {
    const { store, clock, messenger, log } = this.deps;
    const actor = await this.actor(actorId);
    policy.authorize(actor, 'viewQueue', undefined);
    const stored = await this.load(questionId);
    const refresh = await this.refreshIds(await this.securityFunction());
    if (!policy.can(actor, 'answer', stored.value)) return questionCard(lang, actor, stored.value, refresh);
    const answer = typeof input.answer === 'string' ? input.answer.trim() : '';
    if (answer === '') throw badInput('error.answerRequired');
    if (answer.length > MAX_ANSWER_CHARS) throw badInput('error.answerTooLong', { max: MAX_ANSWER_CHARS });
    const keep = input.keep === true || input.keep === 'true';
    const person = await this.deps.directory.person(actorId);
    const now = clock().toISOString();
    let answered: Question;
    try {
      answered = await store.transaction(async (tx) => {
        const next: Question = {
          ...stored.value,
          status: transitions.answer.to,
          answer,
          answeredBy: actorId,
          answeredByName: person?.name ?? actorId,
          answeredAt: now,
          curated: keep,
        };
        const saved = await tx.questions.update(next, stored.version);
        await tx.auditEvents.append(
          transitionEvent(
            actorId,
            questionId,
            keep ? 'answer-and-curate' : 'answer',
            transitions.answer,
            now,
          ),
        );
        return saved.value;
      });
    } catch (error) {
      if (error instanceof VersionConflict)
        return questionCard(lang, actor, (await this.load(questionId)).value, refresh);
      throw error;
    }
    if (keep) await this.deps.knowledge.loadCurated();
    // the asker's language now (what Teams last sent for them), not when they asked
    const askerLang = langOf((await this.deps.directory.person(answered.askedBy))?.locale ?? answered.locale);
    try {
      await messenger.sendCard(answered.askedBy, deliveredCard(askerLang, answered));
    } catch (error) {
      log.error({ err: error, questionId }, 'the answer could not be delivered to the asker');
    }
    // every copy: the asker's card, and the security function's (the answerer's own is the reply)
    const legacy = [
      ...(answered.askerCard ? [{ ...answered.askerCard, kind: ASKER }] : []),
      ...(answered.functionCards ?? []).map((copy) => ({ ...copy, kind: FUNCTION })),
    ];
    await this.copies.update(
      questionId,
      async (copy) => {
        if (copy.kind === ASKER)
          return this.answerViewFor(await this.actor(answered.askedBy), askerLang, answered, {
            feedbackGiven: true,
          });
        if (copy.personId === actorId) return undefined;
        const member = await this.deps.directory.person(copy.personId);
        return questionCard(langOf(member?.locale), await this.actor(copy.personId), answered, refresh);
      },
      legacy,
    );
    return questionCard(lang, actor, answered, refresh);
  }

  /** The current card for whoever looks (refresh). */
  async view(actorId: string, lang: 'sv' | 'en', questionId: string): Promise<object> {
    const { value: question } = await this.load(questionId);
    const actor = await this.actor(actorId);
    policy.authorize(actor, 'view', question);
    if (question.askedBy === actorId && !actor.securityFunction)
      return this.answerViewFor(actor, lang, question, { feedbackGiven: true });
    return questionCard(lang, actor, question, await this.refreshIds(await this.securityFunction()));
  }

  /** One question, for whoever the policy lets see it, with what they may do with it. */
  async get(actorId: string, questionId: string): Promise<QuestionWithAbilities> {
    const { value: question } = await this.load(questionId);
    const actor = await this.actor(actorId);
    policy.authorize(actor, 'view', question);
    return { question, abilities: policy.abilitiesOf(actor, question, questionAbilities) };
  }

  /** The questions a person asked, newest first: only their own (the filter is the caller's id). */
  async asked(actorId: string): Promise<QuestionWithAbilities[]> {
    const actor = await this.actor(actorId);
    return (await this.deps.store.questions.find({ askedBy: actorId }))
      .map(({ value: question }) => ({
        question,
        abilities: policy.abilitiesOf(actor, question, questionAbilities),
      }))
      .sort((a, b) => b.question.askedAt.localeCompare(a.question.askedAt));
  }

  /** Open questions for the security function's queue, each with what the actor may do with it. */
  async queue(actorId: string): Promise<QuestionWithAbilities[]> {
    const actor = await this.actor(actorId);
    policy.authorize(actor, 'viewQueue', undefined);
    return (await this.deps.store.questions.find({ status: 'escalated' })).map(({ value: question }) => ({
      question,
      abilities: policy.abilitiesOf(actor, question, questionAbilities),
    }));
  }

  /** What the bot could not answer (gaps.ts), without what a curated answer now covers. */
  async unanswered(actorId: string): Promise<Gap[]> {
    policy.authorize(await this.actor(actorId), 'viewQueue', undefined);
    const asked = (await this.deps.store.questions.find({ status: 'asked' })).map((q) => q.value);
    const open: Gap[] = [];
    for (const gap of gapsOf(asked, Number.POSITIVE_INFINITY)) {
      if ((await this.deps.knowledge.searchCurated(gap.text)).length === 0) open.push(gap);
      if (open.length === 100) break;
    }
    return open;
  }

  /**
   * The security function answers a question nobody sent on: kept as a curated answer (a question record
   * of the function's own, answered), which the next such question finds first. Nobody is messaged: the
   * askers are not named to the function.
   */
  async curate(actorId: string, input: { question: string; answer: string }): Promise<Question> {
    const { store, clock } = this.deps;
    policy.authorize(await this.actor(actorId), 'viewQueue', undefined);
    const text = input.question.trim();
    const answer = input.answer.trim();
    if (text === '') throw badInput('error.questionRequired');
    if (answer === '') throw badInput('error.answerRequired');
    if (answer.length > MAX_ANSWER_CHARS) throw badInput('error.answerTooLong', { max: MAX_ANSWER_CHARS });
    const person = await this.deps.directory.person(actorId);
    const now = clock().toISOString();
    const kept: Question = {
      id: randomUUID(),
      askedBy: actorId,
      askedByName: person?.name ?? actorId,
      locale: person?.locale ?? 'sv-SE',
      text,
      askedAt: now,
      status: 'answered',
      shown: [],
      answer,
      answeredBy: actorId,
      answeredByName: person?.name ?? actorId,
      answeredAt: now,
      curated: true,
    };
    await store.transaction(async (tx) => {
      await tx.questions.insert(kept);
      await tx.auditEvents.append(
        auditEvent({
          at: now,
          actorId,
          recordType: 'question',
          recordId: kept.id,
          action: 'curate',
          toState: 'answered',
        }),
      );
    });
    await this.deps.knowledge.loadCurated();
    return kept;
  }

  private async refreshIds(members: string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const m of members) {
      const id = await this.deps.teamsIdOf(m);
      if (id) ids.push(id);
    }
    return ids;
  }
}

/** The audit event of a question's transition, written in the same transaction as the change. */
function transitionEvent(
  actorId: string,
  questionId: string,
  action: string,
  step: { from: string; to: string },
  at: string,
) {
  return auditEvent({
    at,
    actorId,
    recordType: 'question',
    recordId: questionId,
    action,
    fromState: step.from,
    toState: step.to,
  });
}
