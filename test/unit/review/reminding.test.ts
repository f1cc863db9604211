/** Whose card arrived: the latest delivery to the review's holder decides, without I/O. */

import type { UnitReview } from '../../../bot/features/review/model';
import { cardStates } from '../../../bot/features/review/reminding';
import type { Delivery } from '../../../bot/platform/delivery/port';

const review = (id: string, state: UnitReview['state'], step = 0): UnitReview => ({
  id,
  cycleId: 'c',
  unitId: id,
  unitName: id,
  managerId: 'manager',
  chain: [{ role: 'headOfAdministration', personId: 'approver' } as UnitReview['chain'][number]],
  lineIds: [],
  state,
  step,
  round: 1,
  holderId: '',
  assessments: {},
  signOffs: [],
  updatedAt: '2026-12-01T08:00:00Z',
});
const delivery = (
  recordId: string,
  personId: string,
  status: Delivery['status'],
  createdAt: string,
  extra: Partial<Delivery> = {},
): Delivery => ({
  id: `${recordId}:${personId}:${createdAt}`,
  key: `${recordId}:${personId}:${createdAt}`,
  batchId: 'c',
  personId,
  kind: 'review.assign',
  recordId,
  status,
  attempts: 1,
  notBefore: createdAt,
  createdAt,
  ...extra,
});

test('the latest delivery to the holder decides; cancelled and skipped ones do not count', () => {
  const states = cardStates(
    [
      review('a', 'open'),
      review('b', 'open'),
      review('c', 'submitted'),
      review('d', 'signedOff'),
      review('e', 'open'),
    ],
    [
      delivery('a', 'manager', 'failed', '2026-12-01T08:00:00Z', {
        failure: { reason: 'blocked', detail: '403' },
      }),
      delivery('a', 'manager', 'sent', '2026-12-02T08:00:00Z', { sentAt: '2026-12-02T08:00:05Z' }),
      delivery('b', 'manager', 'sent', '2026-12-01T08:00:00Z', { sentAt: '2026-12-01T08:00:05Z' }),
      delivery('b', 'manager', 'failed', '2026-12-02T08:00:00Z', {
        failure: { reason: 'notInstalled', detail: '' },
      }),
      delivery('b', 'manager', 'cancelled', '2026-12-03T08:00:00Z'),
      // the manager's card went out, but the review now waits for the approver, who has none yet
      delivery('c', 'manager', 'sent', '2026-12-01T08:00:00Z'),
      delivery('c', 'approver', 'queued', '2026-12-02T08:00:00Z'),
      delivery('d', 'manager', 'failed', '2026-12-02T08:00:00Z'),
    ],
  );
  expect(Object.fromEntries(states)).toEqual({
    a: { status: 'sent', at: '2026-12-02T08:00:05Z' },
    b: { status: 'failed', reason: 'notInstalled', at: '2026-12-02T08:00:00Z' },
    c: { status: 'queued', at: '2026-12-02T08:00:00Z' },
    // signed off: nobody holds it
    d: { status: 'none' },
    e: { status: 'none' },
  });
});
