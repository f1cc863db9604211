/** The questions feature's records: questions and the feedback on their answers. */
import { collection } from '../../platform/store/schema';
import type { Feedback, Question } from './model';

export const questionCollections = {
  questions: collection<Question>('questions', ['status', 'askedBy', 'curated'], {
    types: { curated: 'boolean' },
  }),
  feedback: collection<Feedback>('feedback', ['questionId', 'personId']),
} as const;
