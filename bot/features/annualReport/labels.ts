/** The report's words for ratings, statuses and states, and its percentages, from the catalogue. */
import type { Translate } from '../../platform/i18n';
import type { FollowUpStatus, Rating, SignOffAction, UnitReportState } from './model';

export function labels(t: Translate) {
  return {
    rating: (r: Rating | 'notAssessed') => t(`report.rating.${r}` as const),
    followUpStatus: (s: FollowUpStatus) => t(`report.followUpStatus.${s}` as const),
    unitState: (s: UnitReportState) => t(`report.unitState.${s}` as const),
    action: (a: SignOffAction) => t(`report.action.${a}` as const),
    percent: (share: number | undefined) =>
      share === undefined ? t('report.none') : t('report.percent', { value: Math.round(share * 100) }),
  };
}
