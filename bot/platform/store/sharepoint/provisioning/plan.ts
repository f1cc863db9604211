/**
 * Provisioning as a plain function: the desired schema and what the site has now → the changes to
 * make (safe, done by provisioning) and the findings to report (left to a person). No I/O here.
 *
 * Safe, and repaired: a list renamed by someone (found by its marker or URL name, so it is not
 * duplicated: its name is set back), a missing list (never created, or deleted: it comes back
 * empty and the report says so), a missing column (created, and its indexed copy is filled from
 * each item's record), a column that lost its index. Reported, not repaired: a column with another
 * type than declared (changing it could lose what people typed there), two lists claiming the same
 * marker, a list of the wrong kind.
 */
import type { ColumnSpec, ColumnType, ListSpec } from './schema';

export interface ActualColumn {
  name: string;
  type: ColumnType | 'other';
  indexed: boolean;
}

export interface ActualList {
  id: string;
  displayName: string;
  description?: string;
  /** The list's URL name (it does not change when the list is renamed). */
  name?: string;
  template?: string;
  columns: ActualColumn[];
}

export type Change =
  | { kind: 'createList'; list: ListSpec }
  | { kind: 'renameList'; list: ListSpec; listId: string; displayName: string }
  | { kind: 'createColumn'; list: ListSpec; listId: string; column: ColumnSpec; backfill: boolean }
  | { kind: 'indexColumn'; list: ListSpec; listId: string; column: ColumnSpec };

export type Finding =
  | { kind: 'retyped'; list: ListSpec; listId: string; column: string; expected: ColumnType; actual: string }
  | { kind: 'ambiguous'; list: ListSpec; listIds: string[] }
  | { kind: 'wrongTemplate'; list: ListSpec; listId: string; template: string }
  | { kind: 'missingLibrary'; list: ListSpec };

export interface Plan {
  /** Where each declared list lives on the site now (lists still to be created are absent). */
  found: Record<string, string>;
  changes: Change[];
  findings: Finding[];
}

/** Finds our list among the site's: by marker first, then by URL name, then by display name. */
export function match(spec: ListSpec, actual: readonly ActualList[]): ActualList[] {
  const byMarker = actual.filter((l) => l.description?.includes(spec.marker));
  if (byMarker.length > 0) return byMarker;
  const urlName = (spec.urlName ?? spec.displayName).toLowerCase();
  const byName = actual.filter((l) => l.name?.toLowerCase() === urlName);
  if (byName.length > 0) return byName;
  return actual.filter((l) => l.displayName.toLowerCase() === spec.displayName.toLowerCase());
}

export function plan(desired: readonly ListSpec[], actual: readonly ActualList[]): Plan {
  const result: Plan = { found: {}, changes: [], findings: [] };
  for (const spec of desired) {
    const candidates = match(spec, actual);
    if (candidates.length === 0) {
      if (spec.adopt) result.findings.push({ kind: 'missingLibrary', list: spec });
      else result.changes.push({ kind: 'createList', list: spec });
      continue;
    }
    if (candidates.length > 1) {
      result.findings.push({ kind: 'ambiguous', list: spec, listIds: candidates.map((c) => c.id) });
      continue;
    }
    const list = candidates[0] as ActualList;
    result.found[spec.key] = list.id;
    if (!spec.adopt && list.displayName !== spec.displayName) {
      result.changes.push({ kind: 'renameList', list: spec, listId: list.id, displayName: list.displayName });
    }
    if (list.template && list.template !== spec.template) {
      result.findings.push({ kind: 'wrongTemplate', list: spec, listId: list.id, template: list.template });
      continue;
    }
    for (const column of spec.columns) {
      const present = list.columns.find((c) => c.name === column.name);
      if (!present) {
        result.changes.push({
          kind: 'createColumn',
          list: spec,
          listId: list.id,
          column,
          backfill: column.field !== undefined && spec.template === 'genericList',
        });
      } else if (present.type !== column.type) {
        result.findings.push({
          kind: 'retyped',
          list: spec,
          listId: list.id,
          column: column.name,
          expected: column.type,
          actual: present.type,
        });
      } else if (column.indexed && !present.indexed) {
        result.changes.push({ kind: 'indexColumn', list: spec, listId: list.id, column });
      }
    }
  }
  return result;
}

/** A column definition as Graph takes it (columnDefinition resource). */
export function columnDefinition(column: ColumnSpec): Record<string, unknown> {
  const facet: Record<ColumnType, Record<string, unknown>> = {
    text: { text: { allowMultipleLines: false, maxLength: 255 } },
    note: { text: { allowMultipleLines: true, textType: 'plain', linesForEditing: 6 } },
    number: { number: {} },
    boolean: { boolean: {} },
    dateTime: { dateTime: { format: 'dateTime' } },
  };
  return {
    name: column.name,
    displayName: column.name,
    indexed: column.indexed,
    ...(column.unique ? { enforceUniqueValues: true } : {}),
    ...facet[column.type],
  };
}

/** The type of a column as Graph describes it (the facet that is present). */
export function columnTypeOf(definition: Record<string, unknown>): ActualColumn['type'] {
  const text = definition.text as { allowMultipleLines?: boolean } | undefined;
  if (text) return text.allowMultipleLines ? 'note' : 'text';
  if (definition.number) return 'number';
  if (definition.boolean) return 'boolean';
  if (definition.dateTime) return 'dateTime';
  return 'other';
}

/** One line per change or finding, for people. */
export function describe(item: Change | Finding): string {
  switch (item.kind) {
    case 'createList':
      return `create list ${item.list.displayName} (missing: never provisioned, or deleted; a deleted list's items are in the site's recycle bin)`;
    case 'createColumn':
      return `add column ${item.column.name} to ${item.list.displayName}${item.backfill ? ' and fill it from each item' : ''}`;
    case 'indexColumn':
      return `index column ${item.column.name} of ${item.list.displayName}`;
    case 'renameList':
      return `list "${item.displayName}" is Värn's ${item.list.displayName} (recognised by its marker), renamed by someone: its name is set back`;
    case 'retyped':
      return `column ${item.column} of ${item.list.displayName} is ${item.actual}, declared ${item.expected}: not changed automatically (it could lose data); change it back or delete it so that provisioning recreates it`;
    case 'ambiguous':
      return `${item.list.displayName}: ${item.listIds.length} lists carry the marker ${item.list.marker}; keep one and remove the marker from the others`;
    case 'missingLibrary':
      return `the site has no default document library ("${item.list.urlName ?? item.list.displayName}"); governing documents and reports cannot be kept`;
    case 'wrongTemplate':
      return `${item.list.displayName} is a ${item.template}, expected ${item.list.template}`;
  }
}
