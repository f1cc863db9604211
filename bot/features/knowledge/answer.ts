/** What an answer looks like outside the index: for the JSON interface and for cards. */
import { sectionLink } from './page';
import type { SearchResult } from './searchIndex';

export interface AnswerView {
  doc: string;
  title: string;
  section: string;
  text: string;
  link: string;
  score: number;
}

/** A ranked passage as the cards and the AI ports see it. */
export const answerViewOf = (a: SearchResult['answers'][number]): AnswerView => ({
  doc: a.document.fileName,
  title: a.document.title,
  section: a.passage.section,
  text: a.passage.text,
  // "Öppna dokumentet" opens the document at the quoted section
  link: sectionLink(a.document.link, a.passage.section),
  score: a.score,
});

export function presentForJson(result: SearchResult): {
  answers: Omit<AnswerView, 'title' | 'link'>[];
  confidence: SearchResult['confidence'];
  abstained: boolean;
} {
  return {
    answers: result.answers.map((a) => ({
      doc: a.document.fileName,
      section: a.passage.section,
      text: a.passage.text,
      score: Math.round(a.score * 1000) / 1000,
    })),
    confidence: result.confidence,
    abstained: result.confidence === 'none',
  };
}
