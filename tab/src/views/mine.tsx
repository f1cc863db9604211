/** Mitt säkerhetsarbete: my follow-ups, the campaigns waiting for my acknowledgement, my questions. */
import { formatDate, statusText } from '../i18n';
import { DataTable, Section, Show, useLoad, type ViewProps } from '../ui';

export interface FollowUp {
  id: string;
  unitName: string;
  goalText: string;
  what: string;
  ownerId: string;
  due: string;
  status: string;
}

interface Question {
  id: string;
  text: string;
  status: string;
  askedAt: string;
  answer: string | null;
}

interface MyReview {
  reviewId: string;
  unitName: string;
  state: string;
  year: number;
  deadline: string;
  cycleStatus: string;
  waitingForMe: boolean;
}

interface Waiting {
  id: string;
  title: string;
  dispatchedAt: string | null;
  closeAt: string | null;
}

export default function Mine({ api, t, lang }: ViewProps) {
  const [loaded] = useLoad(
    () =>
      Promise.all([
        api.get<FollowUp[]>('/my/followups'),
        api.get<Waiting[]>('/my/campaigns'),
        api.get<Question[]>('/my/questions'),
        api.get<MyReview[]>('/my/reviews'),
      ]),
    [api],
  );
  return (
    <Show t={t} loaded={loaded}>
      {([followUps, campaigns, questions, reviews]) => (
        <>
          {reviews.length > 0 && (
            <Section title={t('mine.reviews')}>
              <p>{t('mine.reviewsHint')}</p>
              <DataTable
                caption={t('mine.reviews')}
                rows={reviews}
                rowKey={(r) => r.reviewId}
                empty={t('common.none')}
                columns={[
                  { key: 'unit', title: t('col.unit'), cell: (r) => r.unitName },
                  { key: 'year', title: t('col.year'), cell: (r) => String(r.year) },
                  { key: 'deadline', title: t('col.deadline'), cell: (r) => formatDate(lang, r.deadline) },
                  {
                    key: 'state',
                    title: t('col.state'),
                    cell: (r) =>
                      r.waitingForMe && r.cycleStatus === 'open'
                        ? `${statusText(t, r.state)} (${t('mine.waitingForYou')})`
                        : statusText(t, r.state),
                  },
                ]}
              />
            </Section>
          )}
          <Section title={t('mine.followups')}>
            <DataTable
              caption={t('mine.followups')}
              rows={followUps}
              rowKey={(f) => f.id}
              empty={t('mine.noFollowups')}
              columns={[
                { key: 'what', title: t('col.what'), cell: (f) => f.what },
                { key: 'goal', title: t('col.goal'), cell: (f) => f.goalText },
                { key: 'unit', title: t('col.unit'), cell: (f) => f.unitName },
                { key: 'due', title: t('col.due'), cell: (f) => formatDate(lang, f.due) },
                { key: 'status', title: t('col.status'), cell: (f) => statusText(t, f.status) },
              ]}
            />
          </Section>
          <Section title={t('mine.campaigns')}>
            {campaigns.length > 0 && <p>{t('mine.campaignsHint')}</p>}
            <DataTable
              caption={t('mine.campaigns')}
              rows={campaigns}
              rowKey={(c) => c.id}
              empty={t('mine.noCampaigns')}
              columns={[
                { key: 'title', title: t('col.title'), cell: (c) => c.title },
                { key: 'sent', title: t('col.sent'), cell: (c) => formatDate(lang, c.dispatchedAt) },
                { key: 'closes', title: t('col.closes'), cell: (c) => formatDate(lang, c.closeAt) },
              ]}
            />
          </Section>
          <Section title={t('mine.questions')}>
            <DataTable
              caption={t('mine.questions')}
              rows={questions}
              rowKey={(q) => q.id}
              empty={t('mine.noQuestions')}
              columns={[
                { key: 'text', title: t('col.question'), cell: (q) => q.text },
                { key: 'asked', title: t('col.asked'), cell: (q) => formatDate(lang, q.askedAt) },
                { key: 'status', title: t('col.status'), cell: (q) => statusText(t, q.status) },
                { key: 'answer', title: t('col.answer'), cell: (q) => q.answer ?? '–' },
              ]}
            />
          </Section>
        </>
      )}
    </Show>
  );
}
