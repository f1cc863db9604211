/** Checks a card the way Teams' renderer library does: adaptivecards at schema 1.5, and the 80 KB budget. */
// adaptivecards 3.0.6's lib/ is ESM with extensionless imports; its UMD bundle loads in Node without a DOM.
import * as AC from 'adaptivecards/dist/adaptivecards.min.js';

export const MAX_CARD_BYTES = 80 * 1024;

export function validateCard(card: unknown): string[] {
  const problems: string[] = [];
  const json = JSON.stringify(card);
  if (Buffer.byteLength(json, 'utf16le') > MAX_CARD_BYTES)
    problems.push(`card is ${Buffer.byteLength(json, 'utf16le')} bytes`);
  if (/\$\{[^}]*\}/.test(json)) problems.push('unexpanded template expression');
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  parsed.parse(card as object, context);
  for (let i = 0; i < context.eventCount; i++) problems.push(context.getEventAt(i).message);
  if ((card as { version?: string }).version !== '1.5') problems.push('version is not 1.5');
  return problems;
}
