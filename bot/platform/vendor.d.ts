declare module 'snowball-stemmers' {
  export interface Stemmer {
    stem(word: string): string;
  }
  export function newStemmer(language: string): Stemmer;
  export function algorithms(): string[];
}

declare module 'stopword' {
  export const swe: string[];
  export const eng: string[];
}

declare module 'adaptivecards/dist/adaptivecards.min.js' {
  export * from 'adaptivecards';
}
