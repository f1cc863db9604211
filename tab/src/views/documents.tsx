/**
 * Dokument: the governing documents (all of them for the security function, else the ones the caller
 * answers for), their owner and review. Most real policies name neither owner nor review date in their
 * text, so the security function sets both here; the server schedules the owner's review task and keeps
 * the values over what a re-import of the document says.
 */
import { Button, Caption1, Field, Input, Link, Select } from '@fluentui/react-components';
import { useState } from 'react';
import { formatDate } from '../i18n';
import { allows, DataTable, Notice, Problem, Section, Show, useLoad, type ViewProps } from '../ui';
import type { GoverningDocument } from './types';

interface Listing {
  documents: GoverningDocument[];
  owners: { id: string; name: string }[];
}

export default function Documents({ api, t, lang }: ViewProps) {
  const [loaded, reload] = useLoad(() => api.get<Listing>('/governance/documents'), [api]);
  const [editing, setEditing] = useState<string | undefined>();
  const [status, setStatus] = useState<string | undefined>();
  return (
    <Show t={t} loaded={loaded}>
      {({ documents, owners }) => {
        const chosen = documents.find((d) => d.documentId === editing);
        return (
          <>
            {status && <Notice intent="success">{status}</Notice>}
            <DataTable
              caption={t('documents.list')}
              rows={documents}
              rowKey={(d) => d.documentId}
              empty={t('common.none')}
              columns={[
                {
                  key: 'title',
                  title: t('col.document'),
                  cell: (d) => <Link href={d.link}>{d.title}</Link>,
                },
                { key: 'type', title: t('col.type'), cell: (d) => d.documentType ?? '–' },
                {
                  key: 'owner',
                  title: t('col.owner'),
                  cell: (d) => (
                    <>
                      {d.owner ?? t('documents.noOwner')}
                      {d.setByHand && (
                        <Caption1 block>{t('documents.setByHand', { name: d.setByHand.byName })}</Caption1>
                      )}
                    </>
                  ),
                },
                {
                  key: 'next',
                  title: t('col.nextReview'),
                  cell: (d) =>
                    d.nextReviewDate ? formatDate(lang, d.nextReviewDate) : t('documents.noReview'),
                },
                {
                  key: 'state',
                  title: t('col.state'),
                  cell: (d) =>
                    d.state === 'unscheduled'
                      ? '–'
                      : t(d.state === 'awaitingAnswer' ? 'state.open' : 'state.scheduled'),
                },
                {
                  key: 'last',
                  title: t('col.lastAnswer'),
                  cell: (d) =>
                    d.lastAnswer
                      ? `${t(d.lastAnswer.outcome === 'noChange' ? 'documents.noChange' : 'documents.needsRevision')} (${d.lastAnswer.byName}, ${formatDate(lang, d.lastAnswer.at)})`
                      : '–',
                },
                {
                  key: 'edit',
                  title: t('review.details'),
                  cell: (d) =>
                    allows(d, 'edit', true) ? (
                      <Button
                        size="small"
                        onClick={() => {
                          setStatus(undefined);
                          setEditing(d.documentId);
                        }}
                      >
                        {t('documents.edit', { title: d.title })}
                      </Button>
                    ) : (
                      '–'
                    ),
                },
              ]}
            />
            {chosen && (
              <EditDocument
                key={chosen.documentId}
                {...{ api, t, lang }}
                document={chosen}
                owners={owners}
                onDone={(message) => {
                  setEditing(undefined);
                  setStatus(message);
                  reload();
                }}
                onCancel={() => setEditing(undefined)}
              />
            )}
          </>
        );
      }}
    </Show>
  );
}

function EditDocument({
  api,
  t,
  lang,
  document,
  owners,
  onDone,
  onCancel,
}: Pick<ViewProps, 'api' | 't' | 'lang'> & {
  document: GoverningDocument;
  owners: Listing['owners'];
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const [ownerId, setOwnerId] = useState('');
  const [date, setDate] = useState(document.nextReviewDate ?? '');
  const [problem, setProblem] = useState<string | undefined>();
  const dateOk = /^\d{4}-\d{2}-\d{2}$/.test(date);
  const dateChanged = date !== (document.nextReviewDate ?? '');
  const save = async () => {
    setProblem(undefined);
    try {
      const saved = await api.send<GoverningDocument>(
        'PUT',
        `/governance/documents/${encodeURIComponent(document.documentId)}`,
        { ...(ownerId ? { ownerId } : {}), ...(dateChanged ? { nextReviewDate: date } : {}) },
      );
      onDone(
        t('documents.saved', {
          owner: saved.owner ?? t('documents.noOwner'),
          title: saved.title,
          date: formatDate(lang, saved.nextReviewDate ?? ''),
        }),
      );
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  };
  return (
    <Section title={t('documents.editTitle', { title: document.title })}>
      <p>{t('documents.editIntro')}</p>
      {problem && <Problem t={t} message={problem} />}
      <form
        className="varn-form"
        onSubmit={(event) => {
          event.preventDefault();
          if ((ownerId || dateChanged) && dateOk) void save();
        }}
      >
        <Field label={t('documents.owner')}>
          <Select value={ownerId} onChange={(_e, d) => setOwnerId(d.value)}>
            <option value="">
              {t('documents.ownerUnchanged', { owner: document.owner ?? t('documents.noOwner') })}
            </option>
            {owners.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field
          label={t('documents.nextReview')}
          required
          validationMessage={date && !dateOk ? t('review.deadlineHint') : undefined}
        >
          <Input value={date} placeholder="2027-03-31" onChange={(_e, d) => setDate(d.value)} />
        </Field>
        <div className="varn-row">
          <Button appearance="primary" type="submit" disabled={!dateOk || !(ownerId || dateChanged)}>
            {t('documents.save')}
          </Button>
          <Button onClick={onCancel}>{t('common.cancel')}</Button>
        </div>
      </form>
    </Section>
  );
}
