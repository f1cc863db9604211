/** A content folder with the sample organisation and a unit of generated people, for sends to thousands. */
import fs from 'node:fs';
import path from 'node:path';
import { root, sample } from './app';
import { type ChannelUser, makeUser } from './channel';

/** The unit the generated people belong to (under Hälso- och sjukvårdsförvaltningen, managed by Per Åkesson). */
export const GENERATED_UNIT = 'u-bemanning';

/**
 * Writes `dir/organisation.json`: the sample organisation plus `count` generated people ("Vikarie 0", …)
 * in GENERATED_UNIT, none of whom has ever opened the app. With `documents`, the sample documents are
 * copied to `dir/documents` too (the folder is then a complete VARN_CONTENT_DIR).
 */
export function generatedOrganisation(
  dir: string,
  count: number,
  options: { documents?: boolean } = {},
): ChannelUser[] {
  const data = JSON.parse(fs.readFileSync(path.join(root, 'content/organisation.json'), 'utf8')) as {
    units: Record<string, unknown>[];
    people: Record<string, unknown>[];
  };
  data.units.push({
    id: GENERATED_UNIT,
    name: 'Bemanningsenheten',
    kind: 'unit',
    parentId: 'u-hsf',
    managerId: data.people.find((p) => p.name === 'Per Åkesson')?.id,
  });
  const tenantId = sample.organisation.tenantId;
  const users = Array.from({ length: count }, (_, i) => makeUser(`Vikarie ${i}`, { tenantId }));
  for (const u of users)
    data.people.push({
      id: u.aadObjectId,
      name: u.name,
      unitId: GENERATED_UNIT,
      roles: ['employee'],
      locale: 'sv-SE',
    });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'organisation.json'), JSON.stringify(data));
  // the yearly review's goal template belongs to an organisation's content too
  fs.cpSync(path.join(root, 'content/review'), path.join(dir, 'review'), { recursive: true });
  if (options.documents)
    fs.cpSync(path.join(root, 'content/documents'), path.join(dir, 'documents'), { recursive: true });
  return users;
}

/** Polls `condition` every 250 ms until it holds; fails naming `what` after `timeoutMs`. */
export async function until(
  what: string,
  condition: () => Promise<boolean> | boolean,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
