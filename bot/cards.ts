/**
 * Cards are templates (JSON beside the feature that sends them) filled from plain data with
 * adaptivecards-templating. Presenters never read config or the store.
 */
import { Template } from 'adaptivecards-templating';

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

export function renderCard(template: object, data: object): object {
  return new Template(template).expand({ $root: data }) as object;
}

export const attachment = (card: object) => ({ contentType: ADAPTIVE_CARD, content: card });
