/**
 * Översikt. The security function: the open review's progress, open and overdue follow-ups, questions
 * waiting for an answer, campaigns, documents due for review. A manager: their units' follow-ups and
 * campaign take-up (the server returns only what the caller may see).
 */
import { Link } from '@fluentui/react-components';
import type { Api } from '../api';
import { formatDate, formatPercent, statusText, stockholmToday } from '../i18n';
import { DataTable, isSecurityFunction, Section, Show, useLoad, type ViewProps } from '../ui';
import {
  type CampaignRow,
  type CycleWithUnits,
  type DocumentRow,
  type FollowUpRow,
  isOpenFollowUp,
  type QuestionRow,
} from './types';

interface UnitTakeUp {
  unitNames: string[];
  campaigns: { campaign: CampaignRow; tally: { targeted: number; acknowledged: number } }[];
}

const inDays = (days: number) => stockholmToday(new Date(Date.now() + days * 86_400_000));

async function securityFunctionOverview(api: Api) {
  const [cycles, followUps, questions, campaigns, documents] = await Promise.all([
    api.get<CycleWithUnits[]>('/review/cycles'),
    api.get<FollowUpRow[]>('/followups'),
    api.get<QuestionRow[]>('/questions'),
    api.get<{ campaigns: CampaignRow[] }>('/campaigns'),
    api.get<DocumentRow[]>('/governance/reviews'),
  ]);
  return { cycles, followUps, questions, campaigns: campaigns.campaigns, documents };
}

export default function Overview(props: ViewProps) {
  return isSecurityFunction(props.me) ? <ChiefOverview {...props} /> : <ManagerOverview {...props} />;
}

function FollowUpSummary({ t, followUps }: Pick<ViewProps, 't'> & { followUps: FollowUpRow[] }) {
  const today = stockholmToday();
  const open = followUps.filter(isOpenFollowUp);
  const overdue = open.filter((f) => f.due < today);
  return (
    <Section title={t('nav.followups')}>
      <p>{t('overview.followups', { open: open.length, overdue: overdue.length })}</p>
    </Section>
  );
}

function ChiefOverview({ api, t, lang }: ViewProps) {
  const [loaded] = useLoad(() => securityFunctionOverview(api), [api]);
  return (
    <Show t={t} loaded={loaded}>
      {({ cycles, followUps, questions, campaigns, documents }) => {
        const current = cycles.find((c) => c.cycle.status === 'open');
        const failed = current?.units.filter((u) => u.card?.status === 'failed').length ?? 0;
        const soon = inDays(60);
        const due = documents.filter((d) => d.nextReviewDate <= soon);
        return (
          <>
            <Section title={current ? t('overview.review', { year: current.cycle.year }) : t('nav.review')}>
              {current ? (
                <p>
                  {t('overview.progress', {
                    done: current.progress.signedOff,
                    units: current.progress.units,
                    submitted: current.progress.submitted,
                    open: current.progress.open + current.progress.returned,
                  })}{' '}
                  <Link href="#/review">{t('nav.review')}</Link>
                  {failed > 0 && (
                    <>
                      <br />
                      {t('overview.cardsFailed', { count: failed })}
                    </>
                  )}
                </p>
              ) : (
                <p>{t('overview.noCycle')}</p>
              )}
            </Section>
            <FollowUpSummary t={t} followUps={followUps} />
            <Section title={t('nav.questions')}>
              <p>
                {t('overview.questions', { count: questions.length })}{' '}
                <Link href="#/questions">{t('nav.questions')}</Link>
              </p>
            </Section>
            <Section title={t('overview.campaigns')}>
              <DataTable
                caption={t('overview.campaigns')}
                rows={campaigns.slice(0, 5)}
                rowKey={(c) => c.id}
                empty={t('common.none')}
                columns={[
                  { key: 'title', title: t('col.title'), cell: (c) => c.title },
                  { key: 'status', title: t('col.status'), cell: (c) => statusText(t, c.status) },
                  { key: 'sent', title: t('col.sent'), cell: (c) => formatDate(lang, c.dispatchedAt) },
                ]}
              />
            </Section>
            <Section title={t('nav.documents')}>
              <p>{t('overview.documents', { count: due.length })}</p>
            </Section>
          </>
        );
      }}
    </Show>
  );
}

function ManagerOverview({ api, t, lang }: ViewProps) {
  const [loaded] = useLoad(
    () => Promise.all([api.get<FollowUpRow[]>('/followups'), api.get<UnitTakeUp>('/my-unit/campaigns')]),
    [api],
  );
  return (
    <Show t={t} loaded={loaded}>
      {([followUps, takeUp]) => (
        <>
          <p>{t('overview.myUnits', { units: takeUp.unitNames.join(', ') || '–' })}</p>
          <FollowUpSummary t={t} followUps={followUps} />
          <DataTable
            caption={t('nav.followups')}
            rows={followUps.filter(isOpenFollowUp)}
            rowKey={(f) => f.id}
            empty={t('common.none')}
            columns={[
              { key: 'what', title: t('col.what'), cell: (f) => f.what },
              { key: 'unit', title: t('col.unit'), cell: (f) => f.unitName },
              { key: 'owner', title: t('col.owner'), cell: (f) => f.ownerName },
              { key: 'due', title: t('col.due'), cell: (f) => formatDate(lang, f.due) },
              { key: 'status', title: t('col.status'), cell: (f) => statusText(t, f.status) },
            ]}
          />
          <Section title={t('overview.takeUp')}>
            <DataTable
              caption={t('overview.takeUp')}
              rows={takeUp.campaigns}
              rowKey={(c) => c.campaign.id}
              empty={t('common.none')}
              columns={[
                { key: 'title', title: t('col.title'), cell: (c) => c.campaign.title },
                { key: 'recipients', title: t('col.recipients'), cell: (c) => c.tally.targeted },
                { key: 'ack', title: t('col.acknowledged'), cell: (c) => c.tally.acknowledged },
                {
                  key: 'share',
                  title: t('col.share'),
                  cell: (c) =>
                    c.tally.targeted ? formatPercent(lang, c.tally.acknowledged / c.tally.targeted) : '–',
                },
              ]}
            />
          </Section>
        </>
      )}
    </Show>
  );
}
