/**
 * The one message catalogue. Swedish first; English when Teams says the user's locale is English.
 * Every text a user reads comes from here.
 */
import { en } from './en';
import { sv } from './sv';

export type MessageKey = keyof typeof sv;
export type Lang = 'sv' | 'en';

const catalogues: Record<Lang, Record<MessageKey, string>> = { sv, en };

/** Teams sends locales such as "sv-SE", "en-US", "en-GB"; anything not English reads Swedish. */
export function langOf(locale: string | undefined | null): Lang {
  return locale && /^en\b/i.test(locale.trim()) ? 'en' : 'sv';
}

export function t(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = catalogues[lang][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    params[name] === undefined ? whole : String(params[name]),
  );
}

/** A bound translator, for presenters that render many texts. */
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;
export const translator =
  (lang: Lang): Translate =>
  (key, params) =>
    t(lang, key, params);

const stockholmDate = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', dateStyle: 'short' });
const stockholmDateTime = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Stockholm',
  dateStyle: 'short',
  timeStyle: 'short',
});
/** Dates are shown in Europe/Stockholm, ISO-like (2026-11-22 14:05), whatever the language. */
export const formatDate = (iso: string): string => stockholmDate.format(new Date(iso));
export const formatDateTime = (iso: string): string => stockholmDateTime.format(new Date(iso));
