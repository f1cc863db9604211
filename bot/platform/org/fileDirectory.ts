/** The Directory read from an organisation file (the embedded default's sample organisation). */
import fs from 'node:fs';
import {
  type Directory,
  type Group,
  type OrganisationFile,
  organisationFileSchema,
  type Person,
  type Role,
  type Unit,
} from './model';

export class FileDirectory implements Directory {
  private readonly people: Map<string, Person>;
  private readonly unitsById: Map<string, OrganisationFile['units'][number]>;
  readonly organisation: OrganisationFile['organisation'];
  private readonly groupsById: Map<string, Group>;

  constructor(data: OrganisationFile) {
    this.organisation = data.organisation;
    this.people = new Map(data.people.map((p) => [p.id, p]));
    this.unitsById = new Map(data.units.map((u) => [u.id, u]));
    this.groupsById = new Map(data.groups.map((g) => [g.id, g]));
  }

  static fromFile(file: string): FileDirectory {
    const parsed = organisationFileSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (!parsed.success) {
      throw new Error(
        `${file} is not a valid organisation file: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
    return new FileDirectory(parsed.data);
  }

  async person(id: string): Promise<Person | undefined> {
    return this.people.get(id);
  }

  async withRole(role: Role): Promise<Person[]> {
    return [...this.people.values()].filter((p) => p.roles.includes(role));
  }

  async managerOf(personId: string): Promise<Person | undefined> {
    const person = this.people.get(personId);
    let unit = person ? this.unitsById.get(person.unitId) : undefined;
    while (unit) {
      if (unit.managerId !== personId) return this.people.get(unit.managerId);
      unit = unit.parentId ? this.unitsById.get(unit.parentId) : undefined;
    }
    return undefined;
  }

  async units(): Promise<Unit[]> {
    return [...this.unitsById.values()];
  }

  async membersOf(unitId: string): Promise<Person[]> {
    return [...this.people.values()].filter((p) => p.unitId === unitId);
  }

  // campaigns: audience resolution

  async everyone(): Promise<Person[]> {
    return [...this.people.values()];
  }

  async groups(): Promise<{ id: string; name: string }[]> {
    return [...this.groupsById.values()].map(({ id, name }) => ({ id, name }));
  }

  async groupMembers(groupId: string): Promise<string[]> {
    const members = new Set<string>();
    const seen = new Set<string>();
    const visit = (id: string) => {
      const group = this.groupsById.get(id);
      if (!group || seen.has(id)) return;
      seen.add(id);
      for (const member of group.memberIds) if (this.people.has(member)) members.add(member);
      for (const nested of group.groupIds) visit(nested);
    };
    visit(groupId);
    return [...members];
  }
}
