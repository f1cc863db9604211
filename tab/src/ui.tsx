/** Small building blocks the views share: a loaded resource, a titled section, a table, messages. */
import {
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
} from '@fluentui/react-components';
import { type ReactNode, useCallback, useEffect, useId, useState } from 'react';
import type { Api } from './api';
import type { Lang, T } from './i18n';

export interface Me {
  id: string;
  name: string;
  lang: Lang;
  roles: string[];
  unitId?: string;
  organisation: string;
}

export interface ViewProps {
  api: Api;
  t: T;
  lang: Lang;
  me: Me;
}

export const isSecurityFunction = (me: Me) =>
  me.roles.includes('securityChief') || me.roles.includes('securityOfficer');
export const isManager = (me: Me) => me.roles.includes('unitManager');

/** A record as the API returns it: with what the caller may do with it, decided on the server. */
export interface WithAbilities {
  abilities?: Record<string, boolean>;
}

/**
 * May the caller do this with the record? The server's answer (`abilities`) when the record carries it;
 * otherwise what the tab can tell from the record's state. The server refuses anything else regardless.
 */
export const allows = (record: WithAbilities, ability: string, fromState: boolean): boolean =>
  (record.abilities?.[ability] ?? true) && fromState;

type Loaded<V> = { state: 'loading' } | { state: 'done'; value: V } | { state: 'failed'; message: string };

/** Loads once (and again on reload()); the error is the server's message in the user's language. */
export function useLoad<V>(load: () => Promise<V>, deps: unknown[]): [Loaded<V>, () => void] {
  const [result, setResult] = useState<Loaded<V>>({ state: 'loading' });
  const [round, setRound] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller names what the load depends on
  useEffect(() => {
    let live = true;
    setResult((r) => (r.state === 'done' ? r : { state: 'loading' }));
    load().then(
      (value) => live && setResult({ state: 'done', value }),
      (error: unknown) =>
        live &&
        setResult({ state: 'failed', message: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
    };
  }, [...deps, round]);
  return [result, useCallback(() => setRound((n) => n + 1), [])];
}

export function Loading({ t }: { t: T }) {
  return <Spinner size="small" label={t('app.loading')} />;
}

export function Problem({ t, message }: { t: T; message: string }) {
  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>
        <MessageBarTitle>{t('error.title')}</MessageBarTitle>
        {message}
      </MessageBarBody>
    </MessageBar>
  );
}

export function Notice({ children, intent = 'info' }: { children: ReactNode; intent?: 'info' | 'success' }) {
  return (
    <MessageBar intent={intent} role="status">
      <MessageBarBody>{children}</MessageBarBody>
    </MessageBar>
  );
}

/** Renders a loaded resource: a spinner, the server's message, or the content. */
export function Show<V>({
  t,
  loaded,
  children,
}: {
  t: T;
  loaded: Loaded<V>;
  children: (value: V) => ReactNode;
}) {
  if (loaded.state === 'loading') return <Loading t={t} />;
  if (loaded.state === 'failed') return <Problem t={t} message={loaded.message} />;
  return <>{children(loaded.value)}</>;
}

export function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="varn-section">
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

export interface Column<R> {
  key: string;
  title: string;
  cell: (row: R) => ReactNode;
}

/** A table with a caption (its accessible name) and real header cells; "nothing to show" when empty. */
export function DataTable<R>({
  caption,
  columns,
  rows,
  rowKey,
  empty,
}: {
  caption: string;
  columns: Column<R>[];
  rows: R[];
  rowKey: (row: R) => string;
  empty: string;
}) {
  if (rows.length === 0) return <p>{empty}</p>;
  return (
    <div className="varn-table">
      <Table size="small">
        <caption className="varn-caption">{caption}</caption>
        <TableHeader>
          <TableRow>
            {columns.map((c) => (
              <TableHeaderCell key={c.key} scope="col">
                {c.title}
              </TableHeaderCell>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((row) => (
            <TableRow key={rowKey(row)}>
              {columns.map((c) => (
                <TableCell key={c.key}>{c.cell(row)}</TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
