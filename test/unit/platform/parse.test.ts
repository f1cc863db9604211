import { z } from 'zod';
import { AppError } from '../../../bot/platform/errors';
import { t } from '../../../bot/platform/i18n';
import { parseApi, parseCard } from '../../../bot/platform/parse';

const schema = z.object({ questionId: z.string().uuid(), helpful: z.boolean() });

function refusal(parse: () => unknown): AppError {
  try {
    parse();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('the one parser at the edge', () => {
  test('what fits comes back typed, unknown keys dropped', () => {
    const id = '7e0a3d1c-0000-4000-8000-000000000000';
    expect(parseCard(schema, { questionId: id, helpful: true, verb: 'x' })).toEqual({
      questionId: id,
      helpful: true,
    });
    expect(parseApi(schema, { questionId: id, helpful: false })).toEqual({ questionId: id, helpful: false });
  });

  test('bad card data is a 400 the clicker reads as "could not read what you sent", in their language', () => {
    const error = refusal(() => parseCard(schema, { questionId: 'nope' }));
    expect(error.status).toBe(400);
    expect(t('sv', error.messageKey, error.params)).toBe(
      'Det gick inte att tolka det du skickade. Försök igen.',
    );
    expect(t('en', error.messageKey, error.params)).toBe('I could not read what you sent. Please try again.');
  });

  test('a bad API body is a 400 naming each field to check once, in the caller language', () => {
    const error = refusal(() => parseApi(schema, { questionId: 'nope' }));
    expect(error.status).toBe(400);
    expect(t('sv', error.messageKey, error.params)).toBe(
      'Uppgifterna kunde inte tolkas. Kontrollera: questionId, helpful.',
    );
    expect(t('en', error.messageKey, error.params)).toBe(
      'The data could not be read. Please check: questionId, helpful.',
    );
    expect(t('en', refusal(() => parseApi(z.string(), 3)).messageKey, { fields: '–' })).toContain('–');
  });
});
