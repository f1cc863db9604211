/**
 * What a question asks for, beyond its words: "vem ansvarar" wants a passage that assigns
 * responsibility, "hur ofta" one that states a frequency. Each intent is recognised in the
 * question and looked for in passages, in Swedish and English; plain functions.
 */
export type Intent = 'responsibility' | 'frequency' | 'definition' | 'action' | 'goal' | 'decision' | 'scope';

interface IntentRule {
  intent: Intent;
  question: RegExp;
  passage: RegExp;
  boost: number;
}

const rules: IntentRule[] = [
  {
    intent: 'responsibility',
    question: /\b(vem|vilka|vems|who|whose)\b.*\b(ansvar\w*|ansvarig\w*|responsib\w*|accountab\w*|charge|leder|driver|samordnar|leads?)\b|\b(ansvarar|ansvarig|ansvaret|ansvar för|responsible|responsibility)\b/i,
    passage: /\b(ansvar\w*|åligger|ska se till|biträds|leder|driver|samordnar|är ytterst|har till uppgift|responsib\w*)\b/i,
    boost: 1.35,
  },
  {
    intent: 'frequency',
    question: /\b(hur ofta|när ska|hur många gånger|varje år|årlig\w*|hur regelbundet|how often|how frequently|how regularly|when (should|must|is|are|do)|every year|annual\w*|yearly)\b/i,
    passage: /\b(årlig\w*|varje år|en gång per|minst en gång|årsvis|kvartal\w*|månad\w*|löpande|regelbund\w*|årsredovisning\w*|bokslut|annual\w*|yearly|every year|each year)\b/i,
    boost: 1.4,
  },
  {
    intent: 'definition',
    question: /\b(vad är|vad innebär|vad menas|vad betyder|vad avses|vad handlar|förklara|what is|what are|what does .* mean|what's|meaning of|define|explain)\b/i,
    passage: /\b(avses|innebär|innefattar|definieras|betyder|handlar om|omfattar|syftar på|utgörs av|är att|means|refers to)\b|^[\p{Lu}][\p{L}-]+:\s/iu,
    boost: 1.3,
  },
  {
    intent: 'action',
    question: /\b(vad (ska|bör|måste|gör) jag|vad gör (man|vi)|hur (gör|rapporterar|anmäler)|vart vänder|vem (kontaktar|ska jag)|vem säger jag|what (should|do|must) (i|we)|how do i|who do i|where do i|whom should)\b/i,
    passage: /\b(påtala\w*|rapporter\w*|anmäl\w*|meddela\w*|kontakta\w*|vända sig|närmaste chef|närmsta chef|ska (alla|varje) medarbetare|alla medarbetare|report\w*)\b/i,
    boost: 1.35,
  },
  {
    intent: 'goal',
    question: /\b(mål\w*|målsättning\w*|sträva\w*|goals?|objectives?|aims?)\b/i,
    passage: /\b(mål\w*|ska vara|ska ha|syftar till|målsättning\w*)\b/i,
    boost: 1.2,
  },
  {
    intent: 'decision',
    question: /\b(vem (har )?(beslut\w*|fastställ\w*|anta\w*|antog|bestämt?)|vem tog beslut\w*|när (beslut\w*|fastställ\w*|antogs)|who (decided|adopted|approved)|when was .* (adopted|decided|approved))\b/i,
    passage: /\b(beslut\w*|fastställ\w*|antagen|antogs|föreslår|adopted|approved)\b/i,
    boost: 1.3,
  },
  {
    intent: 'scope',
    question: /\b(gäller (den|policyn|det|detta)|vilka (omfattas|gäller)|omfattas|who does .* apply|does .* apply|applies to|scope)\b/i,
    passage: /\b(gäller för|omfattas|omfattar|tillämpas|applies)\b/i,
    boost: 1.25,
  },
];

export function intentsOf(question: string): Intent[] {
  return rules.filter((r) => r.question.test(question)).map((r) => r.intent);
}

/** The boost a passage earns for answering the question's intents (1 when none apply). */
export function intentBoost(intents: Intent[], passageText: string): number {
  let boost = 1;
  for (const rule of rules) {
    if (intents.includes(rule.intent) && rule.passage.test(passageText)) boost *= rule.boost;
  }
  return boost;
}
