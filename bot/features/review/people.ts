/**
 * Who is acting: a person's roles from the directory and the people they stand in for today
 * (deputies). Shared by the review and follow-ups services.
 */
import type { Directory } from '../../platform/org/model';
import type { Store } from '../../platform/store';
import type { ReviewActor } from './policy';
import { activeOn, stockholmDay } from './rules';

export class People {
  constructor(
    private readonly store: Store,
    private readonly directory: Directory,
    private readonly clock: () => Date,
  ) {}

  today(): string {
    return stockholmDay(this.clock());
  }

  async actor(personId: string): Promise<ReviewActor> {
    const person = await this.directory.person(personId);
    const today = this.today();
    const deputyFor = (await this.store.deputies.find({ deputyId: personId }))
      .map((d) => d.value)
      .filter((d) => activeOn(today, d))
      .map((d) => d.principalId);
    return { id: personId, roles: person?.roles ?? [], deputyFor };
  }

  /** The people standing in for `principalId` today. */
  async deputiesOf(principalId: string): Promise<string[]> {
    const today = this.today();
    return (await this.store.deputies.find({ principalId: principalId }))
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
