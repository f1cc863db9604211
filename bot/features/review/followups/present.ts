/** The follow-up card: the record and the viewer's abilities → card JSON. */
import { renderCard } from '../../../platform/cards';
import { formatDateTime, type Lang, type MessageKey, translator } from '../../../platform/i18n';
import followUpTemplate from './cards/followup.json';
import { type FollowUp, followUpStatuses } from './model';
import { canMove, canOnFollowUp, type FollowUpActor } from './policy';

export function followUpCard(
  lang: Lang,
  viewer: FollowUpActor,
  input: {
    followUp: FollowUp;
    names: (id: string) => string;
    refreshUserIds: string[];
    intro?: string;
    banner?: { text: string; color: 'Attention' | 'Warning' | 'Good' | 'Default' };
  },
): object {
  const t = translator(lang);
  const { followUp: f, names } = input;
  const status = (s: FollowUp['status']) => t(`followup.status.${s}` as MessageKey);
  return renderCard(followUpTemplate, {
    refreshLabel: t('review.refresh'),
    refreshUserIds: input.refreshUserIds.slice(0, 60),
    followUpId: f.id,
    seen: f.updatedAt,
    title: t(f.sourceType === 'report' ? 'followup.titleReport' : 'followup.title'),
    banner: input.banner?.text ?? '',
    bannerColor: input.banner?.color ?? 'Default',
    intro: input.intro ?? '',
    facts: [
      { title: t('followup.whatLabel'), value: f.what },
      {
        title: t(f.sourceType === 'report' ? 'followup.reportLabel' : 'followup.goalLabel'),
        value: f.goalText,
      },
      { title: t('followup.unitLabel'), value: f.unitName },
      { title: t('followup.ownerLabel'), value: names(f.ownerId) },
      { title: t('followup.dueLabel'), value: f.due },
      { title: t('followup.statusLabel'), value: status(f.status) },
    ],
    notes: f.notes.map((n) =>
      t('followup.noteLine', {
        when: formatDateTime(n.at),
        name: names(n.actorId),
        status: status(n.to),
        comment: n.comment ? `: ”${n.comment}”` : '',
      }),
    ),
    canUpdate: canOnFollowUp(viewer, 'update', f),
    statusLabel: t('followup.statusLabel'),
    status: f.status,
    statusChoices: followUpStatuses
      .filter((s) => canMove(f.status, s))
      .map((s) => ({ title: status(s), value: s })),
    commentLabel: t('followup.commentLabel'),
    updateLabel: t('followup.update'),
  });
}
