/**
 * One language per person (DESIGN.md): the locale Teams last sent for that person, else the
 * directory's. Every card (a reply, a refreshed card, a proactive card, an updated copy) reads the
 * person's locale from the directory, so the directory the features get answers with this choice,
 * and a card no longer changes language when its button is pressed.
 */
import type { Directory, Person } from '../org/model';
import type { ConversationBook } from './conversations';

export function withTeamsLocales(directory: Directory, book: Pick<ConversationBook, 'localeOf'>): Directory {
  const localised = async (person: Person): Promise<Person> => {
    const locale = await book.localeOf(person.id);
    return locale && locale !== person.locale ? { ...person, locale } : person;
  };
  const one = async (person: Person | undefined) => (person ? localised(person) : undefined);
  const many = (people: Person[]) => Promise.all(people.map(localised));
  return {
    get organisation() {
      return directory.organisation;
    },
    person: async (id) => one(await directory.person(id)),
    withRole: async (role) => many(await directory.withRole(role)),
    managerOf: async (personId) => one(await directory.managerOf(personId)),
    units: () => directory.units(),
    membersOf: async (unitId) => many(await directory.membersOf(unitId)),
    everyone: async () => many(await directory.everyone()),
    groups: () => directory.groups(),
    groupMembers: (groupId) => directory.groupMembers(groupId),
  };
}
