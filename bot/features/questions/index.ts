/**
 * The questions feature's face: free text is a question (the bot's fallback route), answered from
 * the knowledge index and escalated to the security function; its card verbs and the tab's queue.
 */
import type { Feature } from '../../platform/feature';
import type { FallbackRoute } from '../../platform/teams/routes';
import { questionCollections } from './collections';
import { questionApiRoutes, questionCommands, questionVerbs } from './routes';
import { QuestionService, type QuestionServiceDeps } from './service';

export interface QuestionsFeature extends Feature {
  service: QuestionService;
  fallback: FallbackRoute;
}

export function createQuestionsFeature(deps: QuestionServiceDeps): QuestionsFeature {
  const service = new QuestionService(deps);
  return {
    name: 'questions',
    service,
    verbs: questionVerbs(service),
    commands: questionCommands(service),
    api: questionApiRoutes(service),
    jobs: {},
    renderers: service.renderers(),
    collections: Object.keys(questionCollections),
    fallback: {
      handle: async (caller, text) => {
        const { card, question } = await service.ask(
          { id: caller.personId, name: caller.name, locale: caller.locale },
          text,
        );
        return {
          card,
          // the asker's card is remembered so that an answer from the security function updates it
          sent: (activityId, conversationId) =>
            service.rememberAskerCard(question.id, { personId: caller.personId, conversationId, activityId }),
        };
      },
    },
  };
}
