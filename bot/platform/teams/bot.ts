/**
 * botbuilder glue only: establishes who is calling (from the activity, checked against the
 * organisation's tenant), remembers conversation references, and dispatches messages and card
 * actions to the routes the features registered.
 *
 * Someone of the tenant who is not a person of the directory (a guest, a consultant without an account
 * in the line organisation) is a visitor: the governing documents apply to them too, so they may ask and
 * read the answers quoted from the documents (and "hjälp"), but they act on no record: no escalation, no
 * card action, no command. The tab says the same (403 with the same reason) since it is all records.
 */
import {
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  MessageFactory,
  TeamsActivityHandler,
  TurnContext,
} from 'botbuilder';
import { z } from 'zod';
import { attachment } from '../cards';
import { AppError } from '../errors';
import { langOf, t } from '../i18n';
import type { Logger } from '../logger';
import type { Directory } from '../org/model';
import type { ConversationBook } from './conversations';
import type { Greeter } from './help';
import type { Caller, CommandRoute, FallbackRoute, VerbRoute } from './routes';

export interface BotDeps {
  directory: Directory;
  book: ConversationBook;
  log: Logger;
  commands: CommandRoute[];
  verbs: VerbRoute[];
  /** Free text that no command matched (a question; the questions feature owns it). */
  fallback: FallbackRoute;
  welcome(caller: Caller): Promise<object>;
  /** Keeps the two install events (installationUpdate, conversationUpdate) to one welcome. */
  greeter: Greeter;
  maxQuestionChars: number;
}

const submitData = z.object({ verb: z.string() }).passthrough();

export class VarnBot extends TeamsActivityHandler {
  constructor(private readonly deps: BotDeps) {
    super();
    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.greet(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botAdded = (context.activity.membersAdded ?? []).some(
        (m) => m.id === context.activity.recipient.id,
      );
      if (botAdded && context.activity.conversation.conversationType === 'personal')
        await this.greet(context);
      await next();
    });
  }

  /** The caller as the server establishes it: aadObjectId and tenant from the activity, never from card data. */
  private async caller(context: TurnContext): Promise<(Caller & { visitor: boolean }) | undefined> {
    const { activity } = context;
    const personId = activity.from?.aadObjectId;
    const tenantId =
      activity.conversation?.tenantId ??
      (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
    if (!personId || tenantId !== this.deps.directory.organisation.tenantId) {
      this.deps.log.warn({ personId, tenantId }, 'refused an activity from outside the organisation');
      return undefined;
    }
    const person = await this.deps.directory.person(personId);
    const locale = activity.locale ?? person?.locale ?? 'sv-SE';
    await this.deps.book.remember(personId, TurnContext.getConversationReference(activity), locale);
    return {
      personId,
      name: person?.name ?? activity.from.name ?? personId,
      locale,
      lang: langOf(locale),
      visitor: !person,
    };
  }

  private async greet(context: TurnContext): Promise<void> {
    const caller = await this.caller(context);
    if (!caller) return;
    if (!this.deps.greeter.shouldGreet(context.activity.conversation.id)) return;
    await context.sendActivity(MessageFactory.attachment(attachment(await this.deps.welcome(caller))));
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const lang = langOf(context.activity.locale);
    const caller = await this.caller(context);
    if (!caller) {
      await context.sendActivity(t(lang, 'error.forbidden'));
      return;
    }
    const value = submitData.safeParse(context.activity.value);
    if (value.success && caller.visitor) {
      await context.sendActivity(t(caller.lang, 'error.visitor'));
      return;
    }
    if (value.success) {
      // Action.Submit fallback of an older client: same verbs, same checks
      const card = await this.runVerb(caller, value.data.verb, value.data);
      if (card.type === 'card') await context.sendActivity(MessageFactory.attachment(attachment(card.card)));
      else await context.sendActivity(card.text);
      return;
    }
    const text = (context.activity.text ?? '').replace(/<at>[^<]*<\/at>/g, '').trim();
    if (text === '') {
      await context.sendActivity(
        t(
          caller.lang,
          context.activity.attachments?.length ? 'error.unsupportedMessage' : 'error.emptyMessage',
        ),
      );
      return;
    }
    if (text.length > this.deps.maxQuestionChars) {
      await context.sendActivity(
        t(caller.lang, 'error.questionTooLong', { max: this.deps.maxQuestionChars }),
      );
      return;
    }
    const command = this.deps.commands.find((c) => c.matches(text));
    if (command && caller.visitor && command.name !== 'help') {
      await context.sendActivity(t(caller.lang, 'error.visitor'));
      return;
    }
    if (command) {
      let card: object;
      try {
        card = await command.handle(caller);
      } catch (error) {
        // a refusal (e.g. only the security chief opens a review cycle): the user reads why
        if (!(error instanceof AppError)) throw error;
        this.deps.log.info(
          { command: command.name, personId: caller.personId, error: error.id },
          'command refused',
        );
        await context.sendActivity(t(caller.lang, error.messageKey, error.params));
        return;
      }
      await context.sendActivity(MessageFactory.attachment(attachment(card)));
      return;
    }
    const { card, sent } = await this.deps.fallback.handle(caller, text);
    const response = await context.sendActivity(MessageFactory.attachment(attachment(card)));
    if (sent && response?.id) await sent(response.id, context.activity.conversation.id);
  }

  private async runVerb(
    caller: Caller,
    verb: string,
    data: Record<string, unknown>,
  ): Promise<{ type: 'card'; card: object } | { type: 'message'; text: string; status: number }> {
    const route = this.deps.verbs.find((r) => r.verb === verb);
    if (!route) return { type: 'message', text: t(caller.lang, 'error.unknownAction'), status: 400 };
    try {
      return { type: 'card', card: await route.handle(caller, data) };
    } catch (error) {
      if (error instanceof AppError) {
        this.deps.log.info({ verb, personId: caller.personId, error: error.id }, 'card action refused');
        return {
          type: 'message',
          text: t(caller.lang, error.messageKey, error.params),
          status: error.status,
        };
      }
      this.deps.log.error({ err: error, verb, personId: caller.personId }, 'card action failed');
      return { type: 'message', text: t(caller.lang, 'error.internal'), status: 500 };
    }
  }

  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const caller = await this.caller(context);
    if (!caller) {
      return {
        statusCode: 200,
        type: 'application/vnd.microsoft.activity.message',
        value: t(langOf(context.activity.locale), 'error.forbidden') as unknown as Record<string, unknown>,
      };
    }
    if (caller.visitor)
      return {
        statusCode: 200,
        type: 'application/vnd.microsoft.activity.message',
        value: t(caller.lang, 'error.visitor') as unknown as Record<string, unknown>,
      };
    const action = invokeValue?.action;
    const data =
      action && typeof action.data === 'object' && action.data !== null
        ? (action.data as Record<string, unknown>)
        : {};
    const result = await this.runVerb(caller, typeof action?.verb === 'string' ? action.verb : '', data);
    if (result.type === 'card')
      return {
        statusCode: 200,
        type: 'application/vnd.microsoft.card.adaptive',
        value: result.card as Record<string, unknown>,
      };
    // a refusal or bad input: Teams shows the message; the card and the record stay as they were
    return {
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: result.text as unknown as Record<string, unknown>,
    };
  }
}
