/**
 * The OData query options the SharePoint endpoints of Graph accept, parsed the way the docs write them:
 *   $select=id,eTag            $top=50             $skiptoken=…
 *   expand=fields(select=A,B)  $expand=fields($select=A,B)   $expand=columns
 *   $filter=fields/Status eq 'open' and fields/Due lt '2026-12-01T00:00:00Z'
 * (listitem-list: "$filter (eq, ne, lt, gt, le, ge, and startswith) … Both listItem properties and fields
 * can be filtered".) Query options are accepted with or without the `$` prefix, as Graph does.
 */
import { invalidRequest } from './http';

export function option(query: URLSearchParams, name: string): string | undefined {
  return query.get(`$${name}`) ?? query.get(name) ?? undefined;
}

export function parseSelect(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return names.length ? names : undefined;
}

export interface Expansion {
  name: string;
  select?: string[];
  expand?: Expansion[];
}

/** `fields(select=A,B),columns` → [{name:'fields',select:['A','B']},{name:'columns'}] */
export function parseExpand(value: string | undefined): Expansion[] {
  if (!value) return [];
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(value.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(value.slice(start));
  return parts
    .map((p) => p.trim())
    .filter(Boolean)
    .map((part) => {
      const open = part.indexOf('(');
      if (open < 0) return { name: part };
      if (!part.endsWith(')')) throw invalidRequest(`Invalid $expand: ${part}`, 'invalidQueryOption');
      const name = part.slice(0, open).trim();
      const inner = new URLSearchParams(part.slice(open + 1, -1).replace(/;/g, '&'));
      const expansion: Expansion = { name };
      const select = parseSelect(option(inner, 'select'));
      if (select) expansion.select = select;
      const nested = option(inner, 'expand');
      if (nested) expansion.expand = parseExpand(nested);
      return expansion;
    });
}

export function parseTop(query: URLSearchParams): number | undefined {
  const raw = option(query, 'top');
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw invalidRequest(`Invalid $top value: ${raw}`, 'invalidQueryOption');
  return n;
}

// ---------------------------------------------------------------------------------------------------------------
// $filter

export type Literal = string | number | boolean | null;
export type CompareOp = 'eq' | 'ne' | 'lt' | 'gt' | 'le' | 'ge';
export type FilterExpr =
  | { kind: 'compare'; op: CompareOp; path: string; value: Literal }
  | { kind: 'startswith'; path: string; value: string }
  | { kind: 'and' | 'or'; left: FilterExpr; right: FilterExpr }
  | { kind: 'not'; expr: FilterExpr };

type Token =
  | { t: 'str'; v: string }
  | { t: 'word'; v: string }
  | { t: 'num'; v: number }
  | { t: 'punct'; v: string };

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i] as string;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "'") {
      let out = '';
      i++;
      for (;;) {
        if (i >= src.length)
          throw invalidRequest('Unterminated string literal in $filter.', 'invalidQueryOption');
        if (src[i] === "'") {
          if (src[i + 1] === "'") {
            out += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        out += src[i];
        i++;
      }
      tokens.push({ t: 'str', v: out });
    } else if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ t: 'punct', v: ch });
      i++;
    } else {
      const m = /^[^\s(),']+/.exec(src.slice(i));
      const word = m?.[0] ?? ch;
      i += word.length;
      if (/^-?\d+(\.\d+)?$/.test(word)) tokens.push({ t: 'num', v: Number(word) });
      else tokens.push({ t: 'word', v: word });
    }
  }
  return tokens;
}

const COMPARE_OPS = new Set<string>(['eq', 'ne', 'lt', 'gt', 'le', 'ge']);

export function parseFilter(src: string): FilterExpr {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const fail = (): never => {
    throw invalidRequest(`Invalid filter clause: ${src}`, 'invalidQueryOption');
  };
  const next = (): Token => tokens[pos++] ?? fail();
  const isWord = (tok: Token | undefined, word: string): boolean =>
    tok?.t === 'word' && tok.v.toLowerCase() === word;
  const expectPunct = (p: string): void => {
    const tok = next();
    if (tok.t !== 'punct' || tok.v !== p) fail();
  };
  const literal = (): Literal => {
    const tok = next();
    if (tok.t === 'str' || tok.t === 'num') return tok.v;
    if (tok.t === 'word') {
      if (tok.v === 'true') return true;
      if (tok.v === 'false') return false;
      if (tok.v === 'null') return null;
      // Unquoted DateTimeOffset literal.
      if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(tok.v)) return tok.v;
    }
    return fail();
  };
  const primary = (): FilterExpr => {
    const tok = peek();
    if (tok?.t === 'punct' && tok.v === '(') {
      pos++;
      const e = orExpr();
      expectPunct(')');
      return e;
    }
    if (isWord(tok, 'not')) {
      pos++;
      return { kind: 'not', expr: primary() };
    }
    if (isWord(tok, 'startswith')) {
      pos++;
      expectPunct('(');
      const path = next();
      if (path.t !== 'word') fail();
      expectPunct(',');
      const value = literal();
      expectPunct(')');
      if (typeof value !== 'string') fail();
      return { kind: 'startswith', path: (path as { v: string }).v, value: value as string };
    }
    const path = next();
    if (path.t !== 'word') return fail();
    const op = next();
    if (op.t !== 'word' || !COMPARE_OPS.has(op.v.toLowerCase())) return fail();
    return { kind: 'compare', op: op.v.toLowerCase() as CompareOp, path: path.v, value: literal() };
  };
  const andExpr = (): FilterExpr => {
    let left = primary();
    while (isWord(peek(), 'and')) {
      pos++;
      left = { kind: 'and', left, right: primary() };
    }
    return left;
  };
  const orExpr = (): FilterExpr => {
    let left = andExpr();
    while (isWord(peek(), 'or')) {
      pos++;
      left = { kind: 'or', left, right: andExpr() };
    }
    return left;
  };
  const expr = orExpr();
  if (pos !== tokens.length) fail();
  return expr;
}

/** Every property path the filter reads (e.g. `fields/Status`). */
export function filterPaths(expr: FilterExpr): string[] {
  switch (expr.kind) {
    case 'compare':
    case 'startswith':
      return [expr.path];
    case 'not':
      return filterPaths(expr.expr);
    default:
      return [...filterPaths(expr.left), ...filterPaths(expr.right)];
  }
}

function comparable(
  a: unknown,
  b: Literal,
): [number | string | boolean | null, number | string | boolean | null] {
  if (a === undefined) a = null;
  // SharePoint filters yes/no columns with 1/0 as well as true/false.
  if (typeof a === 'boolean' && typeof b === 'number') return [a ? 1 : 0, b];
  // listItem.id is a string in JSON ("7") but compares as the number it is.
  if (typeof a === 'string' && typeof b === 'number' && /^\d+$/.test(a)) return [Number(a), b];
  if (typeof a === 'number' && typeof b === 'string' && b.trim() !== '' && !Number.isNaN(Number(b)))
    return [a, Number(b)];
  if (typeof a === 'string' && typeof b === 'string') {
    const da = Date.parse(a);
    const db = Date.parse(b);
    if (
      /^\d{4}-\d{2}-\d{2}/.test(a) &&
      /^\d{4}-\d{2}-\d{2}/.test(b) &&
      !Number.isNaN(da) &&
      !Number.isNaN(db)
    )
      return [da, db];
    // SharePoint compares text case-insensitively.
    return [a.toLowerCase(), b.toLowerCase()];
  }
  return [a as number | string | boolean | null, b];
}

export function evaluateFilter(expr: FilterExpr, read: (path: string) => unknown): boolean {
  switch (expr.kind) {
    case 'and':
      return evaluateFilter(expr.left, read) && evaluateFilter(expr.right, read);
    case 'or':
      return evaluateFilter(expr.left, read) || evaluateFilter(expr.right, read);
    case 'not':
      return !evaluateFilter(expr.expr, read);
    case 'startswith': {
      const v = read(expr.path);
      return typeof v === 'string' && v.toLowerCase().startsWith(expr.value.toLowerCase());
    }
    case 'compare': {
      const [a, b] = comparable(read(expr.path), expr.value);
      switch (expr.op) {
        case 'eq':
          return a === b;
        case 'ne':
          return a !== b;
        default: {
          if (a === null || b === null) return false;
          if (expr.op === 'lt') return a < b;
          if (expr.op === 'gt') return a > b;
          if (expr.op === 'le') return a <= b;
          return a >= b;
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Paging

/**
 * SharePoint's list-item skip token is base64 of "Paged=TRUE&p_ID=<last id>"; the fake uses the same shape, and
 * "Paged=TRUE&p_Index=<n>" when the request has $orderby (the position in the ordered result).
 */
export function encodeSkipToken(position: { afterId: number } | { index: number }): string {
  const text =
    'afterId' in position ? `Paged=TRUE&p_ID=${position.afterId}` : `Paged=TRUE&p_Index=${position.index}`;
  return Buffer.from(text).toString('base64');
}

export function decodeSkipToken(token: string | undefined): { afterId: number; index: number } {
  if (!token) return { afterId: 0, index: 0 };
  const m = /^Paged=TRUE&p_(ID|Index)=(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  if (!m) throw invalidRequest('The skip token is not valid.', 'invalidStartIndex');
  return m[1] === 'ID' ? { afterId: Number(m[2]), index: 0 } : { afterId: 0, index: Number(m[2]) };
}

export interface OrderBy {
  path: string;
  desc: boolean;
}

/** `fields/Due desc,id` → [{path:'fields/Due',desc:true},{path:'id',desc:false}] */
export function parseOrderBy(value: string | undefined): OrderBy[] {
  if (!value) return [];
  return value.split(',').map((part) => {
    const m = /^\s*([^\s]+)(?:\s+(asc|desc))?\s*$/i.exec(part);
    if (!m) throw invalidRequest(`Invalid $orderby: ${value}`, 'invalidQueryOption');
    return { path: m[1] as string, desc: (m[2] ?? '').toLowerCase() === 'desc' };
  });
}

/** Sorts by the $orderby keys (nulls first ascending, as SharePoint does), ties keeping their order. */
export function sortBy<T>(items: T[], order: OrderBy[], read: (item: T, path: string) => unknown): T[] {
  if (order.length === 0) return items;
  const key = (v: unknown): number | string | boolean | null => {
    if (v === undefined || v === null) return null;
    if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v)))
      return Date.parse(v);
    if (typeof v === 'string') return v.toLowerCase();
    return v as number | boolean;
  };
  return [...items].sort((a, b) => {
    for (const o of order) {
      const x = key(read(a, o.path));
      const y = key(read(b, o.path));
      if (x === y) continue;
      const cmp = x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
      return o.desc ? -cmp : cmp;
    }
    return 0;
  });
}

/** Builds a link to the same resource with some query options replaced, as `@odata.nextLink` does. */
export function linkWith(
  base: string,
  path: string,
  query: URLSearchParams,
  set: Record<string, string>,
): string {
  const q = new URLSearchParams(query);
  for (const [k, v] of Object.entries(set)) {
    q.delete(k.replace(/^\$/, ''));
    q.set(k, v);
  }
  return `${base}${path}?${q.toString()}`;
}
