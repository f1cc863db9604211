import { AppError } from '../../../bot/platform/errors';
import { Actors } from '../../../bot/platform/org/actor';
import { FileDirectory } from '../../../bot/platform/org/fileDirectory';
import { definePolicy } from '../../../bot/platform/policy';

const directory = new FileDirectory({
  organisation: { id: 'org', name: 'Exempelkommunen', tenantId: 't' },
  units: [
    { id: 'kommun', name: 'Exempelkommunen', kind: 'organisation', parentId: null, managerId: 'dir' },
    {
      id: 'skola',
      name: 'Skolförvaltningen',
      kind: 'administration',
      parentId: 'kommun',
      managerId: 'rektor',
    },
    { id: 'klass', name: 'Klass 7A', kind: 'unit', parentId: 'skola', managerId: 'mentor' },
  ],
  people: [
    { id: 'dir', name: 'Direktör', unitId: 'kommun', roles: ['regionalDirector'], locale: 'sv-SE' },
    { id: 'chef', name: 'Säkerhetschef', unitId: 'kommun', roles: ['securityChief'], locale: 'sv-SE' },
    { id: 'rektor', name: 'Rektor', unitId: 'skola', roles: ['unitManager'], locale: 'sv-SE' },
    { id: 'mentor', name: 'Mentor', unitId: 'klass', roles: ['unitManager'], locale: 'en-GB' },
    { id: 'elev', name: 'Anställd', unitId: 'klass', roles: ['employee'], locale: 'sv-SE' },
  ],
  groups: [],
});

const periods = [
  { principalId: 'rektor', deputyId: 'mentor', from: '2026-11-01', to: '2026-11-30' },
  { principalId: 'dir', deputyId: 'mentor', from: '2026-12-01', to: '2026-12-31' },
];
const deputies = {
  find: async ({ deputyId }: { deputyId: string }) =>
    periods.filter((p) => p.deputyId === deputyId).map((value) => ({ value })),
};

describe('the actor, built in one place', () => {
  const actors = (now: string, securityFunctionIds: string[] = []) =>
    new Actors({
      directory,
      clock: () => new Date(now),
      securityFunctionIds,
      deputies,
      grants: [async (id) => (id === 'elev' ? ['campaigns.author'] : [])],
    });

  test('carries the directory roles, the units managed with those below, and the security function', async () => {
    const rektor = await actors('2026-10-01T10:00:00Z').of('rektor');
    expect(rektor.roles).toEqual(['unitManager']);
    expect([...rektor.managedUnits].sort()).toEqual(['klass', 'skola']);
    expect(rektor.securityFunction).toBe(false);
    expect((await actors('2026-10-01T10:00:00Z').of('chef')).securityFunction).toBe(true);
    // configured people replace the roles
    expect((await actors('2026-10-01T10:00:00Z', ['elev']).of('chef')).securityFunction).toBe(false);
    expect((await actors('2026-10-01T10:00:00Z', ['elev']).of('elev')).securityFunction).toBe(true);
  });

  test('stands in only for the principals whose period includes today in Stockholm', async () => {
    expect((await actors('2026-10-31T23:30:00Z').of('mentor')).deputyFor).toEqual(['rektor']); // 00:30 on 1 Nov in Stockholm
    expect((await actors('2026-10-31T22:30:00Z').of('mentor')).deputyFor).toEqual([]); // still 31 Oct there
    expect((await actors('2026-10-31T23:30:00Z').of('elev')).deputyFor).toEqual([]);
    expect((await actors('2026-11-30T23:30:00Z').of('mentor')).deputyFor).toEqual(['dir']); // 1 Dec in Stockholm
  });

  test('has the grants features keep for it; someone outside the directory has nothing', async () => {
    expect([...(await actors('2026-10-01T10:00:00Z').of('elev')).grants]).toEqual(['campaigns.author']);
    const stranger = await actors('2026-10-01T10:00:00Z').of('nobody');
    expect(stranger).toMatchObject({ roles: [], securityFunction: false, deputyFor: [] });
    expect(stranger.grants.size).toBe(0);
    expect(stranger.managedUnits.size).toBe(0);
  });
});

describe('a declared policy', () => {
  interface Note {
    authorId: string;
    locked: boolean;
  }
  const notePolicy = definePolicy<Note>()(
    {
      read: () => true,
      edit: (actor, note) =>
        !note.locked && (note.authorId === actor.id || actor.roles.includes('securityChief')),
    },
    { refusal: (ability) => (ability === 'edit' ? 'campaign.notAuthor' : 'error.forbidden') },
  );
  const actors = new Actors({ directory, clock: () => new Date('2026-10-01T10:00:00Z') });

  test('can answers, authorize refuses with a 403 and the declared message, abilities list every rule', async () => {
    const elev = await actors.of('elev');
    const chef = await actors.of('chef');
    const note = { authorId: 'mentor', locked: false };
    expect(notePolicy.can(chef, 'edit', note)).toBe(true);
    expect(notePolicy.can(elev, 'edit', note)).toBe(false);
    expect(() => notePolicy.authorize(chef, 'edit', note)).not.toThrow();
    let refusal: unknown;
    try {
      notePolicy.authorize(elev, 'edit', note);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toMatchObject({ status: 403, messageKey: 'campaign.notAuthor' });
    expect(notePolicy.abilitiesOf(elev, note)).toEqual({ read: true, edit: false });
    expect(notePolicy.abilitiesOf(chef, { ...note, locked: true }, ['edit'])).toEqual({ edit: false });
  });
});
