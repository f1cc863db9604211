/** The welcome message and "hjälp"/"help": what the bot can do, in a few lines. */
import { renderCard } from '../cards';
import { type Lang, translator } from '../i18n';
import helpTemplate from './cards/help.json';
import type { CommandRoute } from './routes';

export function helpCard(lang: Lang, welcome: boolean): object {
  const t = translator(lang);
  return renderCard(helpTemplate, {
    title: welcome ? t('welcome.title') : t('help.title'),
    lines: [
      ...(welcome ? [t('welcome.body')] : []),
      t('help.ask'),
      t('help.escalate'),
      t('reports.help'),
      t('review.help.manager'),
      t('review.help.chief'),
      t('help.language'),
    ],
    reportLabel: t('reports.form.send.help'),
  });
}

export const helpCommand: CommandRoute = {
  name: 'help',
  matches: (text) => /^\s*(hjälp|help|\?|vad kan du( göra)?|what can you do)\s*[?!.]?\s*$/i.test(text),
  handle: async (caller) => helpCard(caller.lang, false),
};
