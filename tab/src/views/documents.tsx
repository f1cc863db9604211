/** Dokument: the governing documents the caller answers for (all of them for the security chief), their owner and review. */
import { Link } from '@fluentui/react-components';
import { formatDate } from '../i18n';
import { DataTable, Show, useLoad, type ViewProps } from '../ui';
import type { DocumentRow } from './types';

export default function Documents({ api, t, lang }: ViewProps) {
  const [loaded] = useLoad(() => api.get<DocumentRow[]>('/governance/reviews'), [api]);
  return (
    <Show t={t} loaded={loaded}>
      {(documents) => (
        <DataTable
          caption={t('documents.list')}
          rows={documents}
          rowKey={(d) => d.documentId}
          empty={t('common.none')}
          columns={[
            { key: 'title', title: t('col.document'), cell: (d) => <Link href={d.link}>{d.title}</Link> },
            { key: 'owner', title: t('col.owner'), cell: (d) => d.owner ?? t('documents.noOwner') },
            { key: 'next', title: t('col.nextReview'), cell: (d) => formatDate(lang, d.nextReviewDate) },
            {
              key: 'state',
              title: t('col.state'),
              cell: (d) => t(d.state === 'awaitingAnswer' ? 'state.open' : 'state.scheduled'),
            },
            {
              key: 'last',
              title: t('col.lastAnswer'),
              cell: (d) =>
                d.lastAnswer
                  ? `${t(d.lastAnswer.outcome === 'noChange' ? 'documents.noChange' : 'documents.needsRevision')} (${d.lastAnswer.byName}, ${formatDate(lang, d.lastAnswer.at)})`
                  : '–',
            },
          ]}
        />
      )}
    </Show>
  );
}
