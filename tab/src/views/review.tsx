/**
 * Årlig uppföljning: the cycles and their progress; open a cycle (the same rules as the chat form, checked
 * on the server); every unit's state with a drill-down into its review and sign-off history; close the
 * cycle after a confirmation that says what is still open, then download the säkerhetsbokslut.
 */
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  Link,
  useRestoreFocusTarget,
} from '@fluentui/react-components';
import { useState } from 'react';
import { formatDate, statusText, stockholmToday } from '../i18n';
import { allows, DataTable, Notice, Problem, Section, Show, useLoad, type ViewProps } from '../ui';
import { type CycleWithUnits, type FollowUpRow, isOpenFollowUp } from './types';

interface ReviewState {
  review: {
    id: string;
    unitName: string;
    state: string;
    step: number;
    assessments: Record<string, { rating?: string }>;
    signOffs: { step: number; role: string; decision: string; at: string; comment?: string }[];
    submittedAt?: string;
  };
  cycle: { year: number; deadline: string; status: string };
}

export default function Review({ api, t, lang }: ViewProps) {
  const [loaded, reload] = useLoad(
    () => Promise.all([api.get<CycleWithUnits[]>('/review/cycles'), api.get<FollowUpRow[]>('/followups')]),
    [api],
  );
  const [status, setStatus] = useState<string | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [unit, setUnit] = useState<string | undefined>();
  // The confirmation lives here, not beside its button: closing the cycle removes the button, and a modal
  // dialog unmounted during its closing motion left the whole tab aria-hidden (unreadable by a screen reader).
  const [confirming, setConfirming] = useState<CycleWithUnits | undefined>();
  // the button that opened the confirmation gets the focus back when it is cancelled (as a DialogTrigger would)
  const restoreFocus = useRestoreFocusTarget();
  const act = async (work: () => Promise<string>) => {
    setProblem(undefined);
    setStatus(undefined);
    try {
      setStatus(await work());
      reload();
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  };
  return (
    <Show t={t} loaded={loaded}>
      {([cycles, followUps]) => {
        const current = cycles.find((c) => c.cycle.status === 'open');
        return (
          <>
            {status && <Notice intent="success">{status}</Notice>}
            {problem && <Problem t={t} message={problem} />}
            {!current && (
              <OpenForm
                t={t}
                onOpen={(year, deadline) =>
                  act(async () => {
                    const opened = await api.send<CycleWithUnits>('POST', '/review/cycles', {
                      year,
                      deadline,
                    });
                    return t('review.opened', { year: opened.cycle.year, units: opened.progress.units });
                  })
                }
              />
            )}
            {current && (
              <Section title={t('overview.review', { year: current.cycle.year })}>
                <p>
                  {t('overview.progress', {
                    done: current.progress.signedOff,
                    units: current.progress.units,
                    submitted: current.progress.submitted,
                    open: current.progress.open + current.progress.returned,
                  })}
                  . {t('col.deadline')}: {formatDate(lang, current.cycle.deadline)}
                </p>
                {allows(current, 'close', true) && (
                  <Button appearance="primary" onClick={() => setConfirming(current)} {...restoreFocus}>
                    {t('review.close', { year: current.cycle.year })}
                  </Button>
                )}
                <DataTable
                  caption={t('review.unitsTable', { year: current.cycle.year })}
                  rows={current.units}
                  rowKey={(u) => u.reviewId}
                  empty={t('common.none')}
                  columns={[
                    { key: 'unit', title: t('col.unit'), cell: (u) => u.unitName },
                    { key: 'state', title: t('col.state'), cell: (u) => statusText(t, u.state) },
                    { key: 'card', title: t('review.card'), cell: (u) => cardText(t, u.card) },
                    {
                      key: 'remind',
                      title: t('review.remindColumn'),
                      cell: (u) =>
                        u.abilities?.remind ? (
                          <Button
                            size="small"
                            onClick={() =>
                              act(async () => {
                                const done = await api.send<{ reminded: boolean }>(
                                  'POST',
                                  `/review/reviews/${encodeURIComponent(u.reviewId)}/remind`,
                                );
                                return t(done.reminded ? 'review.reminded' : 'review.remindedAlready', {
                                  unit: u.unitName,
                                });
                              })
                            }
                          >
                            {t('review.remind', { unit: u.unitName })}
                          </Button>
                        ) : (
                          '–'
                        ),
                    },
                    {
                      key: 'show',
                      title: t('review.details'),
                      cell: (u) => (
                        <Button size="small" onClick={() => setUnit(u.reviewId)}>
                          {t('review.showUnit', { unit: u.unitName })}
                        </Button>
                      ),
                    },
                  ]}
                />
              </Section>
            )}
            {unit && (
              <UnitReview
                key={unit}
                {...{ api, t, lang }}
                reviewId={unit}
                onClose={() => setUnit(undefined)}
              />
            )}
            <CloseCycle
              t={t}
              cycle={confirming}
              openFollowUps={
                confirming
                  ? followUps.filter((f) => isOpenFollowUp(f) && f.id.startsWith(`${confirming.cycle.id}:`))
                      .length
                  : 0
              }
              onCancel={() => setConfirming(undefined)}
              onConfirm={(cycle) => {
                setConfirming(undefined);
                void act(async () => {
                  await api.send('POST', `/review/cycles/${encodeURIComponent(cycle.cycle.id)}/close`);
                  return t('review.closed', { year: cycle.cycle.year });
                });
              }}
            />
            <Section title={t('review.cycles')}>
              <DataTable
                caption={t('review.cycles')}
                rows={cycles}
                rowKey={(c) => c.cycle.id}
                empty={t('overview.noCycle')}
                columns={[
                  { key: 'year', title: t('col.year'), cell: (c) => String(c.cycle.year) },
                  {
                    key: 'deadline',
                    title: t('col.deadline'),
                    cell: (c) => formatDate(lang, c.cycle.deadline),
                  },
                  { key: 'status', title: t('col.status'), cell: (c) => statusText(t, c.cycle.status) },
                  {
                    key: 'report',
                    title: t('review.report'),
                    cell: (c) =>
                      c.cycle.report ? (
                        <>
                          <Link href={c.cycle.report.docx}>
                            {t('review.reportDocx', { year: c.cycle.year })}
                          </Link>{' '}
                          <Link href={c.cycle.report.csv}>
                            {t('review.reportCsv', { year: c.cycle.year })}
                          </Link>
                        </>
                      ) : (
                        '–'
                      ),
                  },
                ]}
              />
            </Section>
          </>
        );
      }}
    </Show>
  );
}

function OpenForm({
  t,
  onOpen,
}: Pick<ViewProps, 't'> & { onOpen: (year: number, deadline: string) => void }) {
  const [year, setYear] = useState(() => stockholmToday().slice(0, 4));
  const [deadline, setDeadline] = useState('');
  const yearOk = /^\d{4}$/.test(year);
  const deadlineOk = /^\d{4}-\d{2}-\d{2}$/.test(deadline);
  return (
    <Section title={t('review.open')}>
      <form
        className="varn-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (yearOk && deadlineOk) onOpen(Number(year), deadline);
        }}
      >
        <Field
          label={t('review.year')}
          required
          validationMessage={yearOk ? undefined : t('review.yearHint')}
        >
          <Input value={year} inputMode="numeric" onChange={(_e, d) => setYear(d.value)} />
        </Field>
        <Field
          label={t('review.deadline')}
          required
          validationMessage={deadline && !deadlineOk ? t('review.deadlineHint') : undefined}
        >
          <Input value={deadline} placeholder="2027-03-31" onChange={(_e, d) => setDeadline(d.value)} />
        </Field>
        <div>
          <Button appearance="primary" type="submit" disabled={!yearOk || !deadlineOk}>
            {t('review.openSubmit')}
          </Button>
        </div>
      </form>
    </Section>
  );
}

/** The confirmation before closing: what is still open. Always mounted; open while `cycle` is set. */
function CloseCycle({
  t,
  cycle,
  openFollowUps,
  onCancel,
  onConfirm,
}: Pick<ViewProps, 't'> & {
  cycle: CycleWithUnits | undefined;
  openFollowUps: number;
  onCancel: () => void;
  onConfirm: (cycle: CycleWithUnits) => void;
}) {
  // the last cycle asked about stays on the surface while it fades out
  const [shown, setShown] = useState(cycle);
  if (cycle && cycle !== shown) setShown(cycle);
  const p = shown?.progress;
  return (
    <Dialog open={cycle !== undefined} onOpenChange={(_e, d) => !d.open && onCancel()}>
      <DialogSurface aria-describedby="varn-close-what">
        {shown && p && (
          <DialogBody>
            <DialogTitle>{t('review.closeConfirmTitle', { year: shown.cycle.year })}</DialogTitle>
            <DialogContent id="varn-close-what">
              <p>{t('review.closeConfirmIntro')}</p>
              <ul>
                <li>{t('review.closeNotSubmitted', { count: p.open + p.returned })}</li>
                <li>{t('review.closeAwaitingSignOff', { count: p.submitted })}</li>
                <li>{t('review.closeOpenFollowUps', { count: openFollowUps })}</li>
              </ul>
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={() => onConfirm(shown)}>
                {t('review.closeConfirm')}
              </Button>
              <Button onClick={onCancel}>{t('common.cancel')}</Button>
            </DialogActions>
          </DialogBody>
        )}
      </DialogSurface>
    </Dialog>
  );
}

/** Where the holder's card is, in words (not colour alone). */
function cardText(t: ViewProps['t'], card: CycleWithUnits['units'][number]['card']): string {
  if (!card || card.status === 'none') return t('review.card.none');
  if (card.status !== 'failed') return t(card.status === 'sent' ? 'review.card.sent' : 'review.card.queued');
  const reasons = ['blocked', 'notInstalled', 'leftOrganisation', 'noConversation'] as const;
  const reason = reasons.find((r) => r === card.reason) ?? 'other';
  return t('review.card.failed', { reason: t(`review.card.reason.${reason}`) });
}

function UnitReview({
  api,
  t,
  lang,
  reviewId,
  onClose,
}: Pick<ViewProps, 'api' | 't' | 'lang'> & { reviewId: string; onClose: () => void }) {
  const [loaded] = useLoad(
    () => api.get<ReviewState>(`/review/reviews/${encodeURIComponent(reviewId)}`),
    [reviewId],
  );
  return (
    <Show t={t} loaded={loaded}>
      {({ review }) => {
        const ratings = Object.values(review.assessments).filter((a) => a.rating).length;
        return (
          <Section title={t('review.unit', { unit: review.unitName })}>
            <p>
              {t('col.state')}: {statusText(t, review.state)}. {t('review.rated', { count: ratings })}
            </p>
            <DataTable
              caption={t('review.history')}
              rows={review.signOffs}
              rowKey={(s) => `${s.step}:${s.at}`}
              empty={t('review.noHistory')}
              columns={[
                { key: 'at', title: t('review.when'), cell: (s) => formatDate(lang, s.at) },
                { key: 'step', title: t('col.step'), cell: (s) => s.step },
                {
                  key: 'decision',
                  title: t('review.decision'),
                  cell: (s) => t(s.decision === 'approved' ? 'review.approved' : 'review.returnedDecision'),
                },
                { key: 'comment', title: t('review.comment'), cell: (s) => s.comment ?? '–' },
              ]}
            />
            <Button onClick={onClose}>{t('common.close')}</Button>
          </Section>
        );
      }}
    </Show>
  );
}
