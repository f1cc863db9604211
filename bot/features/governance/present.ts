/** The review card: a document's review and the viewer's abilities → card. No I/O, no config. */
import { renderCard } from '../../platform/cards';
import { formatDateTime, type Lang, translator } from '../../platform/i18n';
import type { Actor } from '../../platform/org/actor';
import type { DocumentRecord } from '../knowledge/model';
import reviewTemplate from './cards/review.json';
import type { DocumentReview } from './model';
import { documentReviewPolicy } from './policy';

export const MAX_COMMENT_CHARS = 1000;

export function reviewCard(
  lang: Lang,
  actor: Actor,
  review: DocumentReview,
  document: DocumentRecord | undefined,
  refreshUserIds: string[],
): object {
  const t = translator(lang);
  const last = review.answers.at(-1);
  const answered = review.state === 'scheduled' && last !== undefined;
  const awaiting = review.state === 'awaitingAnswer';
  const canAnswer = documentReviewPolicy.can(actor, 'answer', review);
  const facts = [
    { title: t('governance.owner'), value: review.ownerText ?? '' },
    { title: t('governance.adoptedBy'), value: document?.adoptedBy ?? '' },
    { title: t('governance.adopted'), value: document?.adoptedDate ?? '' },
    { title: t('governance.caseNumber'), value: document?.caseNumber ?? '' },
    {
      title: t('governance.reviewDate'),
      value: awaiting ? review.nextReviewDate : (last?.reviewDate ?? review.nextReviewDate),
    },
    { title: t('governance.status'), value: t(`governance.status.${review.state}` as const) },
  ].filter((f) => f.value !== '');
  return renderCard(reviewTemplate, {
    heading: t('governance.heading'),
    refreshLabel: t('governance.refresh'),
    refreshUserIds: refreshUserIds.slice(0, 60),
    documentId: review.documentId,
    documentTitle: review.title,
    intro: answered
      ? t('governance.introDone')
      : canAnswer
        ? t('governance.intro', { date: review.nextReviewDate })
        : t('governance.introOther'),
    facts,
    answered,
    answerText: last
      ? t('governance.answered', {
          outcome: t(last.outcome === 'noChange' ? 'governance.noChange' : 'governance.needsRevision'),
          name: last.byName,
          when: formatDateTime(last.at),
        })
      : '',
    hasComment: answered && !!last?.comment,
    commentText: last?.comment ? t('governance.comment', { comment: last.comment }) : '',
    nextText: t('governance.next', { date: review.nextReviewDate }),
    canAnswer,
    commentLabel: t('governance.commentLabel'),
    commentPlaceholder: t('governance.commentPlaceholder'),
    maxComment: MAX_COMMENT_CHARS,
    hasLink: /^https?:\/\//.test(review.link),
    link: review.link,
    openLabel: t('governance.open'),
    noChangeLabel: t('governance.noChange'),
    needsRevisionLabel: t('governance.needsRevision'),
  });
}
