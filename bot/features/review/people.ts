/**
 * Who is acting and who they are to the review: the platform's Actor (roles and the people they
 * stand in for today), today's Stockholm day, deputies, names and languages. Shared by the review's
 * commands and its follow-ups.
 */
import { type Actor, Actors, activeOn } from '../../platform/org/actor';
import type { Directory } from '../../platform/org/model';
import type { Store } from '../../platform/store';
import { stockholmDay } from '../../platform/time';

export class People {
  private readonly actors: Actors;

  constructor(
    private readonly store: Store,
    private readonly directory: Directory,
    private readonly clock: () => Date,
  ) {
    this.actors = new Actors({ directory, clock, deputies: store.deputies });
  }

  today(): string {
    return stockholmDay(this.clock());
  }

  actor(personId: string): Promise<Actor> {
    return this.actors.of(personId);
  }

  /** The people standing in for `principalId` today. */
  async deputiesOf(principalId: string): Promise<string[]> {
    const today = this.today();
    return (await this.store.deputies.find({ principalId }))
      .map((d) => d.value)
      .filter((d) => activeOn(today, d))
      .map((d) => d.deputyId);
  }

  /** A name lookup for presenters, loaded once per card. */
  async names(ids: Iterable<string>): Promise<(id: string) => string> {
    const map = new Map<string, string>();
    for (const id of new Set(ids)) map.set(id, (await this.directory.person(id))?.name ?? id);
    return (id) => map.get(id) ?? id;
  }

  async lang(personId: string): Promise<string | undefined> {
    return (await this.directory.person(personId))?.locale;
  }
}
