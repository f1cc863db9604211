/** Presenters: a review record and the viewer's abilities → card JSON. No I/O, no config. */
import { renderCard } from '../../platform/cards';
import { formatDate, formatDateTime, type Lang, type MessageKey, translator } from '../../platform/i18n';
import type { Person, Unit } from '../../platform/org/model';
import areaTemplate from './cards/area.json';
import deputyTemplate from './cards/deputy.json';
import listTemplate from './cards/list.json';
import openTemplate from './cards/open.json';
import reviewTemplate from './cards/review.json';
import {
  type Area,
  type Assessment,
  type ChainRole,
  type GoalTemplate,
  isGap,
  NO_FOLLOW_UP,
  type ReviewCycle,
  ratings,
  type UnitReview,
} from './model';
import { canOnReview, holderOf, type ReviewActor } from './policy';
import type { AssessmentProblem, Progress } from './rules';

export type Names = (personId: string) => string;

export interface ReviewView {
  cycle: ReviewCycle;
  review: UnitReview;
  names: Names;
  refreshUserIds: string[];
  banner?: { text: string; color: 'Attention' | 'Warning' | 'Good' | 'Default' };
  errors?: string[];
  errorsTitle?: string;
}

const stateText = (lang: Lang, review: Pick<UnitReview, 'state' | 'step' | 'chain'>): string => {
  const t = translator(lang);
  if (review.state === 'submitted')
    return t('review.state.submitted', { step: review.step + 1, steps: review.chain.length });
  return t(`review.state.${review.state}` as MessageKey);
};

export { stateText };

const roleText = (lang: Lang, role: ChainRole | 'unitManager') =>
  translator(lang)(`review.role.${role}` as MessageKey);
const ratingText = (lang: Lang, a: Assessment | undefined) =>
  translator(lang)(a?.rating ? (`review.rating.${a.rating}` as MessageKey) : 'review.rating.none');
const goalText = (cycle: ReviewCycle, goalId: string) =>
  cycle.areas.flatMap((a) => a.goals).find((g) => g.id === goalId)?.text ?? goalId;

export function problemTexts(
  lang: Lang,
  cycle: ReviewCycle,
  problems: readonly AssessmentProblem[],
): string[] {
  const t = translator(lang);
  return problems.map((p) =>
    t(`review.problem.${p.problem}` as MessageKey, { goal: shorten(goalText(cycle, p.goalId), 70) }),
  );
}

export function reviewCard(lang: Lang, viewer: ReviewActor, view: ReviewView): object {
  const t = translator(lang);
  const { cycle, review, names } = view;
  const canEdit = canOnReview(viewer, 'edit', review, cycle);
  const canDecide = canOnReview(viewer, 'approve', review, cycle);
  const holder = holderOf(review);
  const lastReturn = [...review.signOffs].reverse().find((s) => s.decision === 'returned');
  let banner = view.banner;
  if (!banner && review.state === 'returned' && lastReturn) {
    banner = {
      text: t('review.returnedBanner', {
        name: names(lastReturn.actorId),
        comment: lastReturn.comment ?? '',
      }),
      color: 'Warning',
    };
  }
  if (!banner && review.state === 'signedOff' && review.signedOffAt) {
    banner = {
      text: t('review.signedOffBanner', { when: formatDateTime(review.signedOffAt) }),
      color: 'Good',
    };
  }
  if (!banner && cycle.status === 'closed')
    banner = { text: t('review.closedBanner', { year: cycle.year }), color: 'Default' };
  const intro = canEdit
    ? t('review.intro')
    : canDecide
      ? t('review.approverIntro', { manager: names(review.managerId), unit: review.unitName })
      : '';
  const gaps = cycle.areas.flatMap((area) =>
    area.goals
      .filter((g) => isGap(review.assessments[g.id]?.rating))
      .map((g) => {
        const a = review.assessments[g.id] as Assessment;
        const details = [
          a.followUp
            ? t('review.followUpLine', {
                what: a.followUp.what,
                owner: names(a.followUp.ownerId),
                due: a.followUp.due,
              })
            : '',
          a.reason ? t('review.reasonLine', { reason: a.reason }) : '',
          a.comment ? t('review.commentLine', { comment: a.comment }) : '',
          a.evidence ? `${t('review.evidenceLine')}: ${a.evidence}` : '',
        ].filter((line) => line !== '');
        return { line: t('review.gapLine', { goal: g.text, rating: ratingText(lang, a) }), details };
      }),
  );
  const comments = cycle.areas.flatMap((area) =>
    area.goals
      .map((g) => review.assessments[g.id])
      .filter((a): a is Assessment => !!a?.comment && !isGap(a.rating))
      .map((a) => `${shorten(goalText(cycle, a.goalId), 60)}: ${a.comment}`),
  );
  const history = review.signOffs.map((s) => {
    const when = formatDateTime(s.at);
    if (s.onBehalfOf) {
      return t('review.historyDeputy', {
        when,
        decision: t(s.decision === 'approved' ? 'review.decision.approved' : 'review.decision.returned'),
        name: names(s.actorId),
        principal: names(s.onBehalfOf),
        role: roleText(lang, s.role),
      });
    }
    return s.decision === 'approved'
      ? t('review.historyApproved', { when, name: names(s.actorId), role: roleText(lang, s.role) })
      : t('review.historyReturned', {
          when,
          name: names(s.actorId),
          role: roleText(lang, s.role),
          comment: s.comment ?? '',
        });
  });
  const summary = (area: Area) => {
    const rated = area.goals.map((g) => review.assessments[g.id]?.rating);
    const n = (r: string) => rated.filter((x) => x === r).length;
    return {
      name: area.name[lang],
      progress: t('review.areaProgress', { rated: rated.filter(Boolean).length, total: area.goals.length }),
      summary: t('review.areaSummary', {
        met: n('met'),
        partly: n('partlyMet'),
        not: n('notMet'),
        na: n('notApplicable'),
      }),
      canFill: canEdit,
      fillLabel: `${t('review.fillIn')}: ${area.name[lang]}`,
      areaId: area.id,
      reviewId: review.id,
      round: review.round,
      step: review.step,
    };
  };
  return renderCard(reviewTemplate, {
    refreshLabel: t('review.refresh'),
    refreshUserIds: view.refreshUserIds.slice(0, 60),
    reviewId: review.id,
    round: review.round,
    step: review.step,
    title: t('review.unitTitle', { year: cycle.year, unit: review.unitName }),
    banner: banner?.text ?? '',
    bannerColor: banner?.color ?? 'Default',
    errors: view.errors ?? [],
    errorsTitle: view.errorsTitle ?? '',
    intro,
    facts: [
      { title: t('review.statusLabel'), value: stateText(lang, review) },
      { title: t('review.deadlineLabel'), value: cycle.deadline },
      { title: t('review.managerLabel'), value: names(review.managerId) },
      {
        title: t('review.nextLabel'),
        value:
          holder === ''
            ? t('review.nextNobody')
            : `${names(holder)} (${roleText(lang, review.state === 'submitted' ? (review.chain[review.step]?.role ?? 'lineManager') : 'unitManager')})`,
      },
    ],
    areas: cycle.areas.map(summary),
    showGaps: review.state !== 'open' || gaps.length > 0,
    gapsLabel: t('review.gapsLabel'),
    noGaps: t('review.noGaps'),
    gaps,
    commentsLabel: t('review.commentsLabel'),
    comments,
    historyLabel: t('review.historyLabel'),
    history,
    canSubmit: canEdit,
    submitLabel: t('review.submit'),
    canDecide,
    returnCommentLabel: t('review.returnCommentLabel'),
    returnCommentPlaceholder: t('review.returnCommentPlaceholder'),
    approveLabel: t('review.approve'),
    returnLabel: t('review.return'),
  });
}

export interface AreaView {
  cycle: ReviewCycle;
  review: UnitReview;
  areaId: string;
  /** Values to show: the stored draft, or what the manager just sent when it was refused. */
  values: Record<string, Assessment>;
  owners: Person[];
  today: string;
  status?: string;
  errors?: string[];
}

export function areaCard(lang: Lang, view: AreaView): object {
  const t = translator(lang);
  const area = view.cycle.areas.find((a) => a.id === view.areaId) as Area;
  const ratingChoices = ratings.map((r) => ({ title: t(`review.rating.${r}` as MessageKey), value: r }));
  const ownerChoices = [
    { title: t('review.followUpNoOwner'), value: NO_FOLLOW_UP },
    ...view.owners.map((p) => ({ title: p.name, value: p.id })),
  ];
  return renderCard(areaTemplate, {
    title: t('review.areaTitle', { area: area.name[lang], unit: view.review.unitName }),
    status: view.status ?? '',
    errors: view.errors ?? [],
    errorsTitle: t('review.notSaved'),
    goals: area.goals.map((g) => {
      const a = view.values[g.id];
      return {
        id: g.id,
        text: g.text,
        rating: a?.rating ?? '',
        comment: a?.comment ?? '',
        evidence: a?.evidence ?? '',
        followUpWhat: a?.followUp?.what ?? '',
        followUpOwner: a?.followUp?.ownerId ?? '',
        followUpDue: a?.followUp?.due ?? '',
        reason: a?.reason ?? '',
        today: view.today,
        ratingLabel: t('review.goalRatingLabel'),
        commentLabel: t('review.goalCommentLabel'),
        evidenceLabel: t('review.goalEvidenceLabel'),
        followUpWhatLabel: t('review.followUpWhatLabel'),
        followUpOwnerLabel: t('review.followUpOwnerLabel'),
        followUpDueLabel: t('review.followUpDueLabel'),
        reasonLabel: t('review.reasonLabel'),
        ratingChoices,
        ownerChoices,
      };
    }),
    reviewId: view.review.id,
    areaId: area.id,
    shown: area.goals.map((g) => g.id).join(','),
    round: view.review.round,
    step: view.review.step,
    saveLabel: t('review.save'),
    saveAndBackLabel: t('review.saveAndBack'),
    backLabel: t('review.back'),
  });
}

export interface ChainPreset {
  id: string;
  roles: ChainRole[];
}

export function chainPresets(defaultChain: ChainRole[]): ChainPreset[] {
  const presets: ChainPreset[] = [
    { id: 'default', roles: defaultChain },
    { id: 'line', roles: ['lineManager', 'headOfAdministration', 'securityChief'] },
    { id: 'administration', roles: ['headOfAdministration'] },
    { id: 'security', roles: ['securityChief'] },
  ];
  return presets.filter((p, i) => presets.findIndex((q) => q.roles.join() === p.roles.join()) === i);
}

export function openCard(
  lang: Lang,
  input: { template: GoalTemplate; units: Unit[]; today: string; year: number; errors?: string[] },
): object {
  const t = translator(lang);
  return renderCard(openTemplate, {
    title: t('review.open.title'),
    intro: t('review.open.intro'),
    errors: input.errors ?? [],
    yearLabel: t('review.open.yearLabel'),
    year: input.year,
    minYear: input.year - 1,
    maxYear: input.year + 1,
    deadlineLabel: t('review.open.deadlineLabel'),
    deadline: '',
    today: input.today,
    scopeLabel: t('review.open.scopeLabel'),
    scopeChoices: [
      { title: t('review.open.scopeAll'), value: 'all' },
      ...input.units
        .filter((u) => input.units.some((c) => c.parentId === u.id))
        .map((u) => ({ title: t('review.open.scopeSubtree', { unit: u.name }), value: u.id })),
    ],
    chainLabel: t('review.open.chainLabel'),
    chainDefault: 'default',
    chainChoices: chainPresets(input.template.chain).map((p) => ({
      title: t('review.open.chainOption', { steps: p.roles.map((r) => roleText(lang, r)).join(' → ') }),
      value: p.id,
    })),
    goalsLabel: t('review.open.goalsLabel'),
    areas: input.template.areas.map((a) => ({
      id: a.id,
      name: a.name[lang],
      addLabel: t('review.open.addLabel', { area: a.name[lang] }),
      goals: a.goals.map((g) => ({ id: g.id, text: g.text, includeLabel: t('review.open.includeGoal') })),
    })),
    submitLabel: t('review.open.submit'),
  });
}

export interface ListItem {
  text: string;
  details?: string[];
  bold?: boolean;
  action?: { label: string; verb: string; data: Record<string, unknown> };
}

export function listCard(title: string, lines: string[], items: ListItem[]): object {
  return renderCard(listTemplate, {
    title,
    lines,
    items: items.map((i) => ({
      text: i.text,
      details: i.details ?? [],
      weight: i.bold ? 'Bolder' : 'Default',
      verb: i.action?.verb ?? '',
      label: i.action?.label ?? '',
      data: i.action?.data ?? {},
      submitData: { verb: i.action?.verb ?? '', ...(i.action?.data ?? {}) },
    })),
  });
}

export function deputyCard(
  lang: Lang,
  input: {
    people: Person[];
    current: { name: string; from: string; to: string }[];
    today: string;
    status?: { text: string; good: boolean };
  },
): object {
  const t = translator(lang);
  return renderCard(deputyTemplate, {
    title: t('review.deputy.title'),
    status: input.status?.text ?? '',
    statusColor: input.status?.good ? 'Good' : 'Attention',
    intro: t('review.deputy.intro'),
    current: input.current.map((c) => t('review.deputy.current', c)),
    personLabel: t('review.deputy.personLabel'),
    people: input.people.map((p) => ({ title: p.name, value: p.id })),
    fromLabel: t('review.deputy.fromLabel'),
    toLabel: t('review.deputy.toLabel'),
    today: input.today,
    saveLabel: t('review.deputy.save'),
  });
}

export function progressLines(lang: Lang, cycle: ReviewCycle, progress: Progress): string {
  return translator(lang)('review.progress.summary', {
    year: cycle.year,
    deadline: cycle.deadline,
    ...progress,
  });
}

export const whenText = (iso: string) => formatDateTime(iso);
export const dayText = (iso: string) => formatDate(iso);

function shorten(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
