/**
 * What a question asks for, beyond its words: "vem ansvarar" wants a passage that assigns
 * responsibility, "hur ofta" one that states a frequency. Each intent is recognised in the
 * question and looked for in passages, in Swedish and English; plain functions.
 */
import { letterAware } from './letters';

export type Intent =
  | 'responsibility'
  | 'frequency'
  | 'definition'
  | 'action'
  | 'goal'
  | 'decision'
  | 'scope'
  | 'method'
  | 'person'
  | 'date';

interface IntentRule {
  intent: Intent;
  question: RegExp;
  passage: RegExp;
  /** A section heading that says its passages answer this intent ("Genomförande", "Arbetssätt"). */
  heading?: RegExp;
  boost: number;
}

const rules: IntentRule[] = withLetters([
  {
    intent: 'responsibility',
    question:
      /\b(vem|vilka|vems|who|whose)\b.*\b(ansvar\w*|ansvarig\w*|responsib\w*|accountab\w*|charge|leder|driver|samordnar|leads?)\b|\b(ansvarar|ansvarig|ansvaret|ansvar för|responsible|responsibility)\b/i,
    passage:
      /\b(ansvar\w*|åligger|ska se till|biträds|leder|driver|samordnar|är ytterst|har till uppgift|uppgift är|sköter|utser|responsib\w*)\b/i,
    boost: 1.5,
  },
  {
    intent: 'frequency',
    question:
      /\b(hur ofta|hur många gånger|varje år|årlig\w*|hur regelbundet|med vilken (frekvens|regelbundenhet)|hur frekvent|hur ofta|how often|how frequently|how regularly|how many times|every year|annual\w*|yearly)\b/i,
    passage:
      /\b(årlig\w*|varje (år|månad|vecka|kvartal|halvår|mandatperiod)|vart (annat|tredje|fjärde|\d+:?e) år|en gång (per|om|i)|\w+ gånger? (per|om|i) (år|månad|vecka|kvartal|mandatperiod)|minst (en|två|tre|\d+) gånger?|per år|årsvis|kvartal\w*|månatlig\w*|veckovis|löpande|kontinuerlig\w*|regelbund\w*|årsredovisning\w*|bokslut\w*|mandatperiod\w*|annual\w*|yearly|every (year|month|quarter)|each year|once a|times a)\b/i,
    boost: 1.8,
  },
  {
    intent: 'definition',
    question:
      /\b(vad är|vad innebär|vad menas|vad betyder|vad avses|vad handlar|vad räknas|vad ingår|exempel på|förklara|what is|what are|what does .* mean|what's|meaning of|what counts|examples? of|define|explain)\b/i,
    passage:
      /\b(avses|innebär|innefattar|definieras|betyder|handlar om|omfattar|syftar på|utgörs av|är att|såsom|till exempel|t\.ex|bland annat|means|refers to|such as)\b|^[\p{Lu}][\p{L}-]+:\s|^[\p{L}\s-]+, som /iu,
    boost: 1.3,
  },
  {
    intent: 'action',
    question:
      /\b(vad (ska|bör|måste|gör) jag|vad gör (man|vi)|hur (gör|rapporterar|anmäler)|vart vänder|vem (kontaktar|ska jag)|vem säger jag|what (should|do|must) (i|we)|how do i|who do i|where do i|whom should)\b/i,
    passage:
      /\b(påtala\w*|rapporter\w*|anmäl\w*|meddela\w*|kontakta\w*|vända sig|närmaste chef|närmsta chef|ska (alla|varje) medarbetare|alla medarbetare|report\w*)\b/i,
    boost: 1.4,
  },
  {
    intent: 'goal',
    question: /\b(mål\w*|målsättning\w*|sträva\w*|goals?|objectives?|aims?)\b/i,
    passage: /\b(mål\w*|ska|syftar till|målsättning\w*)\b/i,
    boost: 1.2,
  },
  {
    intent: 'decision',
    question:
      /\b(vem (har )?(beslut\w*|fastställ\w*|anta\w*|antog|bestämt?|bestämmer|godkänner)|vem tog beslut\w*|när (beslut\w*|fastställ\w*|antogs)|who (decides|decided|adopts|adopted|approves|approved)|when was .* (adopted|decided|approved))\b/i,
    passage: /\b(beslut\w*|fastställ\w*|antagen|antogs|föreslår|föreslås|adopted|approved)\b/i,
    boost: 1.4,
  },
  {
    intent: 'scope',
    question:
      /\b(gäller (den|policyn|det|detta)|(vem|vilka) (omfattas|gäller)|omfattas|who does .* apply|does .* apply|applies to|scope)\b/i,
    passage: /\b(gäller (för|även|också|alla|samtliga|hela)|omfattas|omfattar|tillämpas|applies)\b/i,
    boost: 1.4,
  },
  {
    // "hur ska vi jobba med krisberedskap": the passage that says how the work is done
    intent: 'method',
    question:
      /\b(hur (ska|bör|kan|skall) (vi|man|ni|jag) (jobba|arbeta|hantera|bedriva|göra)|hur (jobbar|arbetar|hanterar|bedriver) (vi|man|ni)|hur (bedrivs|hanteras|sköts|genomförs)|how (do|should|can|does|must) (we|you|one|i) (work|handle|manage|approach|deal|carry)|how is .* (handled|managed|carried out|done|organi[sz]ed))\b/i,
    passage:
      /\b(genom|bedrivs|bedrivas|ska ske|sker (med|genom|utifrån|inom)|utgår från|bygger på|med utgångspunkt|processen?|metod\w*|arbetssätt\w*)\b/i,
    heading:
      /\b(genomförande\w*|arbetssätt\w*|metod\w*|process\w*|tillvägagångssätt|så (arbetar|jobbar) vi|implementation|approach|how we work)\b/i,
    boost: 1.4,
  },
  {
    // "vem är säkerhetschef", "who was the director": a name, as signatures and contact lines give it
    intent: 'person',
    question:
      /\b(vem är|vem var|vilka är|vad heter|vem heter|namnet på|who is|who was|who's|whos|who are|name of|what is the name)\b/i,
    passage:
      /^(?:[\p{L} ]{1,20}:\s*)?(?!(?:Region|Landstinget|Kommun)\b)\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)? \p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?(?:,? \p{L}+){0,4}\.?$/u,
    boost: 2.5,
  },
  {
    intent: 'date',
    question:
      /\b(när (beslutades|antogs|fastställdes|togs|är|var|gjordes|skrevs)|vilket datum|vilket år|vilka år|vilken period|datum|daterad|daterat|when was|what date|which date|which years|what period|dated)\b/i,
    passage:
      /\b(19|20)\d{2}-\d{2}-\d{2}\b|\b(19|20)\d{2}\s?[-–]\s?(19|20)\d{2}\b|\b\d{1,2} (januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december) (19|20)\d{2}\b/i,
    boost: 1.8,
  },
]);

/** The rules with letter-aware patterns (see letterAware). */
function withLetters(written: IntentRule[]): IntentRule[] {
  return written.map((rule) => ({
    ...rule,
    question: letterAware(rule.question),
    passage: letterAware(rule.passage),
    heading: rule.heading && letterAware(rule.heading),
  }));
}

export function intentsOf(question: string): Intent[] {
  const intents = rules.filter((r) => r.question.test(question)).map((r) => r.intent);
  // "vem är ansvarig" asks for a role, not a name
  if (intents.includes('person') && intents.includes('responsibility'))
    return intents.filter((i) => i !== 'person');
  return intents;
}

/** A question that can only be answered by a date ("vilket datum beslutades …"), or by a name ("vad heter …"). */
export const EXPLICIT_DATE = letterAware(
  /\b(vilket datum|datum|daterad|daterat|när (beslutades|antogs|fastställdes|undertecknades)|what date|which date|dated|when was .* (adopted|decided|approved|signed|dated))\b/i,
);
export const EXPLICIT_NAME = letterAware(
  /\b(vad heter|vem heter|namnet på|vad är namnet|name of|what is the name|what's the name|called)\b/i,
);
export const DATE_TEXT = letterAware(
  /\b(19|20)\d{2}-\d{2}-\d{2}\b|\b\d{1,2} (januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december) (19|20)\d{2}\b/i,
);

export const personLine = (text: string): boolean =>
  (rules.find((r) => r.intent === 'person') as IntentRule).passage.test(text);

/** Whether the question asks for a name, so that short name lines (signatures) are fair answers. */
export const asksForPerson = (intents: Intent[]): boolean =>
  intents.includes('person') || intents.includes('date');

/** The intent rules a passage's text (or its section's heading) meets, one bit per rule: computed once per passage when it is indexed. */
export function passageIntents(passageText: string, heading = ''): number {
  let mask = 0;
  rules.forEach((rule, bit) => {
    if (rule.passage.test(passageText)) mask |= 1 << bit;
    if (heading && rule.heading?.test(heading)) mask |= 1 << (bit + HEADING_BITS);
  });
  return mask >>> 0;
}

/** Where the heading bits begin in a passage's intent mask (text bits below). */
const HEADING_BITS = 16;

/** The intents whose heading pattern the passage's section heading meets, as a subset of the question's. */
export function headingIntents(intents: Intent[], mask: number): boolean {
  return rules.some((rule, bit) => mask & (1 << (bit + HEADING_BITS)) && intents.includes(rule.intent));
}

/** The boost a passage earns for answering the question's intents (1 when none apply), from its intent bits. */
export function intentBoostOf(intents: Intent[], mask: number): number {
  let boost = 1;
  rules.forEach((rule, bit) => {
    if ((mask & (1 << bit) || mask & (1 << (bit + HEADING_BITS))) && intents.includes(rule.intent))
      boost *= rule.boost;
  });
  return boost;
}

/** The boost a passage earns for answering the question's intents (1 when none apply). */
export const intentBoost = (intents: Intent[], passageText: string): number =>
  intentBoostOf(intents, passageIntents(passageText));
