import { z } from 'zod';

export const roleSchema = z.enum([
  'securityChief',
  'securityOfficer',
  'unitManager',
  'headOfAdministration',
  'regionalDirector',
  'dataProtectionOfficer',
  'employee',
]);
export type Role = z.infer<typeof roleSchema>;

export const unitSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  kind: z.enum(['organisation', 'board', 'administration', 'company', 'unit']),
  parentId: z.string().nullable(),
  managerId: z.string().min(1),
});
export type Unit = z.infer<typeof unitSchema>;

export const personSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  email: z.string().optional(),
  unitId: z.string().min(1),
  roles: z.array(roleSchema).min(1),
  locale: z.string().default('sv-SE'),
});
export type Person = z.infer<typeof personSchema>;

/** A group of people (an Entra group in production); groups may contain groups. */
export const groupSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  memberIds: z.array(z.string()).default([]),
  groupIds: z.array(z.string()).default([]),
});
export type Group = z.infer<typeof groupSchema>;

export const organisationFileSchema = z.object({
  organisation: z.object({ id: z.string(), name: z.string(), tenantId: z.string() }),
  units: z.array(unitSchema),
  people: z.array(personSchema),
  groups: z.array(groupSchema).default([]),
});
export type OrganisationFile = z.infer<typeof organisationFileSchema>;

/** People and the line organisation (Entra ID and Graph /users/{id}/manager in production). */
export interface Directory {
  readonly organisation: { id: string; name: string; tenantId: string };
  person(id: string): Promise<Person | undefined>;
  withRole(role: Role): Promise<Person[]>;
  /** The nearest manager: the unit's manager, or the parent unit's when the person manages the unit. */
  managerOf(personId: string): Promise<Person | undefined>;
  /** The line organisation's units (for choosing who takes part in a review cycle). */
  units(): Promise<Unit[]>;
  /** The people of one unit (for choosing a follow-up's owner). */
  membersOf(unitId: string): Promise<Person[]>;

  // campaigns: audience resolution
  /** Every enabled member of the organisation (no guests, no disabled accounts). */
  everyone(): Promise<Person[]>;
  /** Groups one can address (name and id only). */
  groups(): Promise<{ id: string; name: string }[]>;
  /** The ids of a group's members, through nested groups (Graph: transitiveMembers). */
  groupMembers(groupId: string): Promise<string[]>;
}
