/**
 * A pattern whose \b and \w know every letter. JavaScript's \b and \w are ASCII-only, even with the u flag: "årligen"
 * has no \b before "å", and "är ytterst" none before "ä", so such alternatives never match. Plain function.
 */
export function letterAware(pattern: RegExp): RegExp {
  const letter = '[\\p{L}\\p{N}_]';
  const source = pattern.source
    .replace(/\\b/g, `(?:(?<=${letter})(?!${letter})|(?<!${letter})(?=${letter}))`)
    .replace(/\\w/g, letter);
  return new RegExp(source, pattern.flags.includes('u') ? pattern.flags : `${pattern.flags}u`);
}
