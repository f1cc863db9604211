/** What an answer looks like outside the index: for the JSON interface and for cards. */
import type { SearchResult } from './searchIndex';

export interface AnswerView {
  doc: string;
  title: string;
  section: string;
  text: string;
  link: string;
  score: number;
}

export function presentForJson(result: SearchResult): {
  answers: Omit<AnswerView, 'title' | 'link'>[];
  abstained: boolean;
} {
  return {
    answers: result.answers.map((a) => ({
      doc: a.document.fileName,
      section: a.passage.section,
      text: a.passage.text,
      score: Math.round(a.score * 1000) / 1000,
    })),
    abstained: result.abstained,
  };
}
