/** The org feature's tab API: who the caller is, as the directory knows them. */
import type { ApiRoute } from '../http/api';
import type { Directory } from './model';

export function orgApiRoutes(directory: Directory): ApiRoute[] {
  return [
    {
      method: 'GET',
      path: '/me',
      handle: async ({ caller }) => {
        const person = await directory.person(caller.personId);
        const manager = await directory.managerOf(caller.personId);
        return {
          json: {
            id: caller.personId,
            name: caller.name,
            locale: caller.locale,
            lang: caller.lang,
            roles: person?.roles ?? [],
            unitId: person?.unitId,
            manager: manager ? { id: manager.id, name: manager.name } : null,
            organisation: directory.organisation.name,
          },
        };
      },
    },
  ];
}
