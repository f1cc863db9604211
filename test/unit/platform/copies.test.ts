import { collections } from '../../../bot/collections';
import { createLogger } from '../../../bot/platform/logger';
import type { Messenger, SentMessage } from '../../../bot/platform/messaging';
import type { Store } from '../../../bot/platform/store';
import { openSqliteStore } from '../../../bot/platform/store/sqlite';
import { CardCopies } from '../../../bot/platform/teams/copies';

const message = (personId: string, activityId: string): SentMessage => ({
  personId,
  conversationId: `a:${personId}`,
  activityId,
});

describe('the cards sent about a record', () => {
  let store: Store;
  let updates: { activityId: string; card: object }[];
  let copies: CardCopies;
  const unreachable = new Set<string>();

  beforeEach(() => {
    store = openSqliteStore(':memory:', collections);
    updates = [];
    unreachable.clear();
    const messenger: Messenger = {
      sendCard: async () => {
        throw new Error('not used');
      },
      updateCard: async (sent, card) => {
        if (unreachable.has(sent.activityId)) throw new Error('the conversation is gone');
        updates.push({ activityId: sent.activityId, card });
      },
    };
    copies = new CardCopies({ store, messenger, log: createLogger('silent') });
  });
  afterEach(() => store.close());

  test('every remembered copy is updated with the card made for its person and kind', async () => {
    await copies.rememberDelivery({ key: 'delivery-1', recordId: 'q1' }, message('anna', 'm1'));
    await copies.remember('q1', message('bo', 'm2'), { kind: 'function' });
    await copies.remember('q2', message('anna', 'm3'));
    const updated = await copies.update('q1', async (copy) => ({
      for: copy.personId,
      kind: copy.kind ?? 'card',
    }));
    expect(updated).toBe(2);
    expect(updates).toEqual([
      { activityId: 'm1', card: { for: 'anna', kind: 'card' } },
      { activityId: 'm2', card: { for: 'bo', kind: 'function' } },
    ]);
  });

  test('remembering the same card twice keeps one copy, so it is updated once', async () => {
    await copies.rememberDelivery({ key: 'delivery-1', recordId: 'q1' }, message('anna', 'm1'));
    await copies.rememberDelivery({ key: 'delivery-1', recordId: 'q1' }, message('anna', 'm1'));
    await copies.remember('q1', message('bo', 'm2'), { kind: 'asker' });
    await copies.remember('q1', message('bo', 'm2'), { kind: 'asker' });
    expect(await copies.update('q1', async () => ({}))).toBe(2);
  });

  test('copies kept on a record stored earlier are updated too, once each, next to the remembered ones', async () => {
    await copies.remember('q1', message('anna', 'm1'));
    const legacy = [message('anna', 'm1'), { ...message('bo', 'm0'), kind: 'asker' }];
    await copies.update('q1', async (copy) => ({ kind: copy.kind ?? 'card' }), legacy);
    expect(updates).toEqual([
      { activityId: 'm1', card: { kind: 'card' } },
      { activityId: 'm0', card: { kind: 'asker' } },
    ]);
  });

  test('a copy that cannot be updated does not stop the others; a copy rendered as nothing is left alone', async () => {
    await copies.remember('q1', message('anna', 'm1'));
    await copies.remember('q1', message('bo', 'm2'));
    await copies.remember('q1', message('cecilia', 'm3'));
    unreachable.add('m1');
    const updated = await copies.update('q1', async (copy) => (copy.personId === 'bo' ? undefined : {}));
    expect(updated).toBe(1);
    expect(updates.map((u) => u.activityId)).toEqual(['m3']);
  });

  test('a copy remembered inside a transaction that fails is not kept', async () => {
    await expect(
      store.transaction(async (tx) => {
        await copies.remember('q1', message('anna', 'm1'), { into: tx });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await copies.update('q1', async () => ({}))).toBe(0);
  });
});
