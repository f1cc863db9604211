/**
 * Swedish spellings an English word may have as a loanword of the same Latin or Greek origin: "classification" →
 * klassificering, "physical" → fysisk, "continuity" → kontinuitet, "quality" → kvalitet, "evacuate" → evakuera.
 * The regular correspondences of the two spellings (endings; c → k, ph → f, th → t, qu → kv, z → s), not a word list:
 * the caller keeps only the candidates its documents use, so that a guess that is no Swedish word costs nothing.
 * Plain code, no I/O.
 */

/** English ending → the Swedish endings it may correspond to (the longest English ending that fits is used). */
const ENDINGS: [string, string[]][] = [
  ['ications', ['ikationer', 'iceringar', 'iseringar']],
  ['ication', ['ikation', 'icering', 'isering']],
  ['ations', ['ationer', 'eringar']],
  ['ation', ['ation', 'ering']],
  ['itions', ['itioner']],
  ['ition', ['ition']],
  ['ities', ['iteter']],
  ['ity', ['itet']],
  ['ically', ['iskt']],
  ['ical', ['isk', 'iskt']],
  ['ics', ['ik']],
  ['ic', ['isk', 'ik']],
  ['ised', ['iserad']],
  ['ized', ['iserad']],
  ['ise', ['isera']],
  ['ize', ['isera']],
  ['icated', ['icerad', 'iserad']],
  ['icate', ['icera', 'isera']],
  ['ated', ['erad']],
  ['ate', ['era', 'at']],
  ['ives', ['iver']],
  ['ive', ['iv']],
  ['ials', ['iella']],
  ['ial', ['iell']],
  ['als', ['ella', 'aler']],
  ['al', ['ell', 'al', '']],
  ['ences', ['enser']],
  ['ence', ['ens']],
  ['ances', ['anser']],
  ['ance', ['ans']],
  ['ures', ['urer']],
  ['ure', ['ur']],
  ['ysis', ['ys']],
  ['isis', ['is']],
  ['gies', ['gier']],
  ['gy', ['gi']],
  ['phy', ['fi']],
  ['ies', ['ier']],
  ['ments', ['ment']],
  ['s', ['er', 'ar', '']],
];

/** Spelling correspondences inside the word, each tried on and off. */
const LETTERS: [RegExp, string][] = [
  [/ph/g, 'f'],
  [/th/g, 't'],
  [/qu/g, 'kv'],
  [/z/g, 's'],
  // c is k in Swedish before a, o, u, a consonant and at the end (classification, document, critical)
  [/c(?=[aoulrt]|$)/g, 'k'],
  [/ck/g, 'k'],
];

/** The Swedish spellings an English word may have (without the word itself), most regular first. */
export function swedishCognates(word: string): string[] {
  if (word.length < 5 || !/^[a-z]+$/.test(word)) return [];
  const stems: string[] = [word];
  for (const [ending, swedish] of ENDINGS) {
    if (!word.endsWith(ending) || word.length - ending.length < 3) continue;
    const root = word.slice(0, -ending.length);
    for (const s of swedish) stems.push(root + s);
    break;
  }
  const out = new Set<string>();
  for (const stem of stems) {
    let variants = [stem];
    for (const [pattern, replacement] of LETTERS) {
      variants = variants.flatMap((v) => {
        const changed = v.replace(pattern, replacement);
        return changed === v ? [v] : [changed, v];
      });
    }
    // a final single l or t doubles (control → kontroll)
    for (const v of variants) {
      out.add(v);
      if (/[aeiouy][lt]$/.test(v)) out.add(v + v.slice(-1));
    }
  }
  out.delete(word);
  return [...out];
}
