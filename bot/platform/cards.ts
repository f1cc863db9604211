/**
 * Cards are templates (JSON beside the feature that sends them) filled from plain data with
 * adaptivecards-templating. Presenters never read config or the store.
 */
import type { Template } from 'adaptivecards-templating';

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/** Parsed templates, one per template object: parsing the expressions costs far more than expanding them. */
const parsed = new WeakMap<object, Template>();

export function renderCard(template: object, data: object): object {
  let prepared = parsed.get(template);
  if (!prepared) {
    // the library is loaded with the first card, not with the service: it brings adaptive-expressions and
    // its ANTLR parser, about a quarter of a second of a start that has no card to render yet
    const { Template } = require('adaptivecards-templating') as typeof import('adaptivecards-templating');
    prepared = new Template(template);
    parsed.set(template, prepared);
  }
  // expand is synchronous, so one Template serves every turn
  return prepared.expand({ $root: data }) as object;
}

export const attachment = (card: object) => ({ contentType: ADAPTIVE_CARD, content: card });
