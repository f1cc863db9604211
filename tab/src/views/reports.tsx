/**
 * Avvikelser: the risks, deficiencies and incidents the caller may see (the security function and the
 * data protection officer all; a manager those of their units and those handed to them; everyone their
 * own), filtered by kind and state; one opened shows what was reported and every step since. The step
 * that needs no form (acknowledging receipt) is taken here; the steps with a form (decide, close) are
 * taken on the report's card in chat, where the handler was sent it.
 */
import { Button, Field, Select } from '@fluentui/react-components';
import { useState } from 'react';
import { formatDate } from '../i18n';
import {
  allows,
  DataTable,
  Notice,
  Problem,
  Section,
  Show,
  useLoad,
  type ViewProps,
  type WithAbilities,
} from '../ui';

const KINDS = [
  'risk',
  'deficiency',
  'incident',
  'personalDataIncident',
  'threatOrViolence',
  'other',
] as const;
const STATES = ['reported', 'handling', 'closed'] as const;

interface ReportRow extends WithAbilities {
  id: string;
  kind: (typeof KINDS)[number];
  title: string;
  unitName: string;
  severity: 'low' | 'medium' | 'high';
  state: (typeof STATES)[number];
  reportedAt: string;
  dueAt: string;
}

interface ReportDetail extends ReportRow {
  description: string;
  where: string;
  occurredAt: string;
  reporterId: string;
  managerId: string;
  cause?: string;
  lessons?: string;
  history: { at: string; actorId: string; action: string; comment?: string }[];
  names: Record<string, string>;
}

export default function Reports({ api, t, lang }: ViewProps) {
  const [loaded, reload] = useLoad(() => api.get<ReportRow[]>('/reports'), [api]);
  const [kind, setKind] = useState('');
  const [state, setState] = useState('');
  const [open, setOpen] = useState<string | undefined>();
  return (
    <Show t={t} loaded={loaded}>
      {(reports) => {
        const shown = reports.filter((r) => (!kind || r.kind === kind) && (!state || r.state === state));
        return (
          <>
            <Section title={t('reports.filters')}>
              <div className="varn-row">
                <Field label={t('reports.kind')}>
                  <Select value={kind} onChange={(_e, d) => setKind(d.value)}>
                    <option value="">{t('followups.all')}</option>
                    {KINDS.map((k) => (
                      <option key={k} value={k}>
                        {t(`reports.kind.${k}`)}
                      </option>
                    ))}
                  </Select>
                </Field>
                <Field label={t('col.status')}>
                  <Select value={state} onChange={(_e, d) => setState(d.value)}>
                    <option value="">{t('followups.all')}</option>
                    {STATES.map((s) => (
                      <option key={s} value={s}>
                        {t(`reports.state.${s}`)}
                      </option>
                    ))}
                  </Select>
                </Field>
              </div>
              <p role="status">{t('reports.count', { count: shown.length })}</p>
            </Section>
            <DataTable
              caption={t('reports.list')}
              rows={shown}
              rowKey={(r) => r.id}
              empty={t('reports.none')}
              columns={[
                { key: 'title', title: t('col.title'), cell: (r) => r.title },
                { key: 'kind', title: t('reports.kind'), cell: (r) => t(`reports.kind.${r.kind}`) },
                { key: 'unit', title: t('col.unit'), cell: (r) => r.unitName },
                {
                  key: 'severity',
                  title: t('reports.severity'),
                  cell: (r) => t(`reports.severity.${r.severity}`),
                },
                { key: 'state', title: t('col.status'), cell: (r) => t(`reports.state.${r.state}`) },
                {
                  key: 'reported',
                  title: t('reports.reported'),
                  cell: (r) => formatDate(lang, r.reportedAt),
                },
                {
                  key: 'open',
                  title: t('review.details'),
                  cell: (r) => (
                    <Button size="small" onClick={() => setOpen(r.id)}>
                      {t('reports.open', { title: r.title })}
                    </Button>
                  ),
                },
              ]}
            />
            {open && (
              <ReportView
                key={open}
                {...{ api, t, lang }}
                reportId={open}
                onChanged={reload}
                onClose={() => setOpen(undefined)}
              />
            )}
          </>
        );
      }}
    </Show>
  );
}

function ReportView({
  api,
  t,
  lang,
  reportId,
  onChanged,
  onClose,
}: Pick<ViewProps, 'api' | 't' | 'lang'> & { reportId: string; onChanged: () => void; onClose: () => void }) {
  const [loaded, reload] = useLoad(
    () => api.get<ReportDetail>(`/reports/${encodeURIComponent(reportId)}`),
    [reportId],
  );
  const [status, setStatus] = useState<string | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const acknowledge = async () => {
    setProblem(undefined);
    try {
      await api.send('POST', `/reports/${encodeURIComponent(reportId)}/acknowledge`, {});
      setStatus(t('reports.acknowledged'));
      reload();
      onChanged();
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  };
  return (
    <Show t={t} loaded={loaded}>
      {(r) => {
        const name = (id: string) => r.names[id] ?? (id === 'system' ? t('reports.system') : '–');
        return (
          <Section title={t('reports.heading', { title: r.title })}>
            {status && <Notice intent="success">{status}</Notice>}
            {problem && <Problem t={t} message={problem} />}
            <dl className="varn-facts">
              <dt>{t('reports.kind')}</dt>
              <dd>{t(`reports.kind.${r.kind}`)}</dd>
              <dt>{t('col.status')}</dt>
              <dd>{t(`reports.state.${r.state}`)}</dd>
              <dt>{t('reports.severity')}</dt>
              <dd>{t(`reports.severity.${r.severity}`)}</dd>
              <dt>{t('reports.reporter')}</dt>
              <dd>
                {name(r.reporterId)}, {r.unitName}
              </dd>
              <dt>{t('reports.handler')}</dt>
              <dd>{name(r.managerId)}</dd>
              <dt>{t('reports.when')}</dt>
              <dd>{formatDate(lang, r.occurredAt)}</dd>
              <dt>{t('reports.where')}</dt>
              <dd>{r.where || '–'}</dd>
              <dt>{t('reports.due')}</dt>
              <dd>{formatDate(lang, r.dueAt)}</dd>
            </dl>
            <p>{r.description}</p>
            {r.cause && (
              <p>
                {t('reports.cause')}: {r.cause}
              </p>
            )}
            {r.lessons && (
              <p>
                {t('reports.lessons')}: {r.lessons}
              </p>
            )}
            <h3>{t('reports.history')}</h3>
            <ol>
              {r.history.map((h) => (
                <li key={`${h.at}-${h.action}`}>
                  {formatDate(lang, h.at)}: {t(`reports.step.${stepOf(h.action)}`)} ({name(h.actorId)})
                  {h.comment ? ` – ${h.comment}` : ''}
                </li>
              ))}
            </ol>
            <div className="varn-row">
              {allows(r, 'acknowledge', r.state === 'reported') && (
                <Button appearance="primary" onClick={() => void acknowledge()}>
                  {t('reports.acknowledge')}
                </Button>
              )}
              <Button onClick={onClose}>{t('common.close')}</Button>
            </div>
            {(r.abilities?.decide || r.abilities?.close) && <p>{t('reports.inChat')}</p>}
          </Section>
        );
      }}
    </Show>
  );
}

const STEPS = [
  'reported',
  'acknowledged',
  'decided',
  'forwarded',
  'closed',
  'dpoAssessed',
  'reminded',
  'escalated',
] as const;
const stepOf = (action: string) => STEPS.find((s) => s === action) ?? 'reported';
