/** Åtgärder: every follow-up the caller may see, filtered by unit, owner, status and overdue; one opens with its history. */
import { Button, Checkbox, Field, Select } from '@fluentui/react-components';
import { useState } from 'react';
import { formatDate, statusText, stockholmToday } from '../i18n';
import { DataTable, Section, Show, useLoad, type ViewProps } from '../ui';
import { type FollowUpRow, isOpenFollowUp } from './types';

const STATUSES = ['open', 'inProgress', 'done', 'cancelled'];

export default function FollowUps({ api, t, lang }: ViewProps) {
  const [loaded] = useLoad(() => api.get<FollowUpRow[]>('/followups'), [api]);
  const [unit, setUnit] = useState('');
  const [owner, setOwner] = useState('');
  const [status, setStatus] = useState('');
  const [overdue, setOverdue] = useState(false);
  const [chosen, setChosen] = useState<FollowUpRow | undefined>();
  const today = stockholmToday();
  return (
    <Show t={t} loaded={loaded}>
      {(all) => {
        const units = [...new Set(all.map((f) => f.unitName))].sort();
        const owners = [...new Set(all.map((f) => f.ownerName))].sort();
        const rows = all.filter(
          (f) =>
            (!unit || f.unitName === unit) &&
            (!owner || f.ownerName === owner) &&
            (!status || f.status === status) &&
            (!overdue || (isOpenFollowUp(f) && f.due < today)),
        );
        return (
          <>
            <Section title={t('followups.filters')}>
              <div className="varn-row">
                <Field label={t('followups.filterUnit')}>
                  <Select value={unit} onChange={(_e, d) => setUnit(d.value)}>
                    <option value="">{t('followups.all')}</option>
                    {units.map((u) => (
                      <option key={u}>{u}</option>
                    ))}
                  </Select>
                </Field>
                <Field label={t('col.owner')}>
                  <Select value={owner} onChange={(_e, d) => setOwner(d.value)}>
                    <option value="">{t('followups.all')}</option>
                    {owners.map((o) => (
                      <option key={o}>{o}</option>
                    ))}
                  </Select>
                </Field>
                <Field label={t('followups.filterStatus')}>
                  <Select value={status} onChange={(_e, d) => setStatus(d.value)}>
                    <option value="">{t('followups.all')}</option>
                    {STATUSES.map((s) => (
                      <option key={s} value={s}>
                        {statusText(t, s)}
                      </option>
                    ))}
                  </Select>
                </Field>
                <Checkbox
                  checked={overdue}
                  onChange={(_e, d) => setOverdue(d.checked === true)}
                  label={t('followups.filterOverdue')}
                />
              </div>
              <p role="status">{t('followups.count', { count: rows.length })}</p>
            </Section>
            <DataTable
              caption={t('nav.followups')}
              rows={rows}
              rowKey={(f) => f.id}
              empty={t('common.none')}
              columns={[
                {
                  key: 'what',
                  title: t('col.what'),
                  cell: (f) => (
                    <Button appearance="transparent" size="small" onClick={() => setChosen(f)}>
                      {f.what}
                    </Button>
                  ),
                },
                { key: 'unit', title: t('col.unit'), cell: (f) => f.unitName },
                { key: 'owner', title: t('col.owner'), cell: (f) => f.ownerName },
                { key: 'due', title: t('col.due'), cell: (f) => formatDate(lang, f.due) },
                {
                  key: 'status',
                  title: t('col.status'),
                  cell: (f) =>
                    isOpenFollowUp(f) && f.due < today
                      ? `${statusText(t, f.status)} (${t('status.overdue')})`
                      : statusText(t, f.status),
                },
              ]}
            />
            {chosen && (
              <Section title={chosen.what}>
                <p>
                  {t('col.goal')}: {chosen.goalText}
                </p>
                <DataTable
                  caption={t('review.history')}
                  rows={chosen.notes}
                  rowKey={(n) => n.at}
                  empty={t('common.none')}
                  columns={[
                    { key: 'at', title: t('review.when'), cell: (n) => formatDate(lang, n.at) },
                    {
                      key: 'change',
                      title: t('col.status'),
                      cell: (n) => (n.to ? `${statusText(t, n.from ?? '')} → ${statusText(t, n.to)}` : '–'),
                    },
                    { key: 'comment', title: t('review.comment'), cell: (n) => n.comment ?? '–' },
                  ]}
                />
                <Button onClick={() => setChosen(undefined)}>{t('common.close')}</Button>
              </Section>
            )}
          </>
        );
      }}
    </Show>
  );
}
