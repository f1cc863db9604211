/**
 * Cards are templates (JSON beside the feature that sends them) filled from plain data with
 * adaptivecards-templating. Presenters never read config or the store.
 */
import { Template } from 'adaptivecards-templating';

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/** A Template keeps the expressions it parsed: one per template makes each card about ten times cheaper. */
const templates = new WeakMap<object, Template>();

export function renderCard(template: object, data: object): object {
  let compiled = templates.get(template);
  if (!compiled) {
    compiled = new Template(template);
    templates.set(template, compiled);
  }
  return compiled.expand({ $root: data }) as object;
}

export const attachment = (card: object) => ({ contentType: ADAPTIVE_CARD, content: card });
