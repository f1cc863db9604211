/**
 * Who may do what with a question: one declared policy, used by card handlers and the tab API.
 * Plain functions over plain data.
 */
import type { Question } from './model';

export interface Actor {
  id: string;
  /** Member of the security function (configured people, or the security roles). */
  securityFunction: boolean;
}

export type QuestionAbility = 'view' | 'feedback' | 'escalate' | 'answer' | 'viewQueue';

export function can(actor: Actor, ability: QuestionAbility, question?: Question): boolean {
  switch (ability) {
    case 'viewQueue':
      return actor.securityFunction;
    case 'view':
      return (
        !!question &&
        (question.askedBy === actor.id || (actor.securityFunction && question.status !== 'asked'))
      );
    case 'feedback':
      return !!question && question.askedBy === actor.id;
    case 'escalate':
      return !!question && question.askedBy === actor.id && question.status === 'asked';
    case 'answer':
      return !!question && actor.securityFunction && question.status === 'escalated';
  }
}

/** The state machine of a question: which step leads where. */
export const transitions = {
  escalate: { from: 'asked', to: 'escalated' },
  answer: { from: 'escalated', to: 'answered' },
} as const;
