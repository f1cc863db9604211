/** What the bot could not answer: the same wording counted together, newest first, nobody named. */
import { gapsOf } from '../../../bot/features/questions/gaps';
import type { Question } from '../../../bot/features/questions/model';

const q = (
  text: string,
  confidence: Question['confidence'],
  askedAt: string,
  extra: Partial<Question> = {},
): Question => ({
  id: `${text}@${askedAt}`,
  askedBy: 'someone',
  askedByName: 'Someone Named',
  locale: 'sv-SE',
  text,
  askedAt,
  status: 'asked',
  shown: [],
  confidence,
  curated: false,
  ...extra,
});

test('one line per wording, the weakest outcome, the latest wording and day; answered, escalated and confident questions left out', () => {
  const gaps = gapsOf([
    q('Hur får jag ut min lön?', 'uncertain', '2026-12-01T08:00:00Z'),
    q('hur får jag ut min LÖN', 'none', '2026-12-03T08:00:00Z'),
    q('Vad är lunchen?', 'none', '2026-12-02T08:00:00Z'),
    q('Hur ofta ses policyn över?', 'answer', '2026-12-04T08:00:00Z'),
    q('Vem ringer jag?', 'none', '2026-12-04T09:00:00Z', { status: 'escalated' }),
    q('?!', 'none', '2026-12-04T10:00:00Z'),
  ]);
  expect(gaps).toEqual([
    { text: 'hur får jag ut min LÖN', count: 2, confidence: 'none', lastAsked: '2026-12-03' },
    { text: 'Vad är lunchen?', count: 1, confidence: 'none', lastAsked: '2026-12-02' },
  ]);
  expect(JSON.stringify(gaps)).not.toContain('Someone');
});
