/**
 * Who may do what with a question: one declared policy, used by card handlers, the cards and the
 * tab API (whose responses carry the same abilities). Plain functions over plain data; the queue is
 * the security function's, so its rule needs no question.
 */
import type { Actor } from '../../platform/org/actor';
import { definePolicy } from '../../platform/policy';
import type { Question } from './model';

const asker = (actor: Actor, question: Question | undefined) => !!question && question.askedBy === actor.id;

export const questionPolicy = definePolicy<Question | undefined>()({
  /** The security function's queue, and answering from it. */
  viewQueue: (actor) => actor.securityFunction,
  view: (actor, question) =>
    !!question && (question.askedBy === actor.id || (actor.securityFunction && question.status !== 'asked')),
  /** What only the asker does with their question: feedback, and sending it on. */
  asker,
  feedback: asker,
  escalate: (actor, question) => asker(actor, question) && question?.status === 'asked',
  answer: (actor, question) => !!question && actor.securityFunction && question.status === 'escalated',
});

/** The abilities a question carries to the tab. */
export const questionAbilities = ['view', 'feedback', 'escalate', 'answer'] as const;

/** The state machine of a question: which step leads where. */
export const transitions = {
  escalate: { from: 'asked', to: 'escalated' },
  answer: { from: 'escalated', to: 'answered' },
} as const;
