/**
 * The welcome message and "hjälp"/"help": what the bot can do for this person, in a few lines. An
 * employee reads the employee's commands; a manager, the security chief or a campaign author also
 * reads theirs (the server still checks every command; this only keeps the help truthful).
 */
import { renderCard } from '../cards';
import { type Lang, type MessageKey, translator } from '../i18n';
import helpTemplate from './cards/help.json';
import type { Caller, CommandRoute } from './routes';

/** What a person may do beyond asking, as the features' policies say. */
export type HelpTopic = 'manager' | 'securityChief' | 'campaignAuthor' | 'securityFunction';

const topicLines: Record<HelpTopic, MessageKey[]> = {
  manager: ['review.help.manager', 'help.campaignUnit'],
  securityChief: ['review.help.chief'],
  campaignAuthor: ['help.campaigns'],
  securityFunction: ['help.questions'],
};

export function helpCard(lang: Lang, welcome: boolean, topics: ReadonlySet<HelpTopic> = new Set()): object {
  const t = translator(lang);
  const order: HelpTopic[] = ['manager', 'securityChief', 'campaignAuthor', 'securityFunction'];
  return renderCard(helpTemplate, {
    title: welcome ? t('welcome.title') : t('help.title'),
    lines: [
      ...(welcome ? [t('welcome.body')] : []),
      t('help.ask'),
      t('help.escalate'),
      t('reports.help'),
      ...order
        .filter((topic) => topics.has(topic))
        .flatMap((topic) => topicLines[topic].map((key) => t(key))),
      t('help.language'),
    ],
    reportLabel: t('reports.form.send.help'),
  });
}

export function helpCommand(topicsOf: (caller: Caller) => Promise<ReadonlySet<HelpTopic>>): CommandRoute {
  return {
    name: 'help',
    matches: (text) => /^\s*(hjälp|help|\?|vad kan du( göra)?|what can you do)\s*[?!.]?\s*$/i.test(text),
    handle: async (caller) => helpCard(caller.lang, false, await topicsOf(caller)),
  };
}

/**
 * Welcomes once per conversation: Teams sends both an installationUpdate and a conversationUpdate
 * (bot added) when the app is installed, and each used to greet. A second greeting for the same chat
 * within `windowMs` is dropped; a reinstall later greets again.
 */
export class Greeter {
  private readonly greeted = new Map<string, number>();

  constructor(
    private readonly clock: () => Date,
    private readonly windowMs = 10 * 60_000,
  ) {}

  /** True when this conversation should be greeted now (and records that it was). */
  shouldGreet(conversationId: string): boolean {
    const now = this.clock().getTime();
    for (const [id, at] of this.greeted) if (now - at >= this.windowMs) this.greeted.delete(id);
    if (this.greeted.has(conversationId)) return false;
    this.greeted.set(conversationId, now);
    return true;
  }
}
