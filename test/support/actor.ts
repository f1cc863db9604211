import type { Actor } from '../../bot/platform/org/actor';

/** An actor as the platform builds it, with nothing beyond what the test names. */
export const actorOf = (id: string, shape: Partial<Omit<Actor, 'id'>> = {}): Actor => ({
  id,
  roles: ['employee'],
  securityFunction: false,
  deputyFor: [],
  managedUnits: new Set(),
  grants: new Set(),
  ...shape,
});
