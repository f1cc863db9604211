/** The report's cards: plain data and the viewer's abilities → card JSON. No store, no config. */

import { renderCard } from '../../platform/cards';
import { formatDateTime, type Lang, type MessageKey, translator } from '../../platform/i18n';
import type { Actor } from '../../platform/org/actor';
import { stockholmDay } from '../../platform/time';
import formTemplate from './cards/form.json';
import reportTemplate from './cards/report.json';
import { type Report, reportKinds, severities } from './model';
import { canOnReport } from './policy';
import { hoursLeft, personalDataClock } from './rules';

export interface AreaName {
  id: string;
  name: { sv: string; en: string };
}

/** What the form showed when it comes back with a problem: the person's own words are kept. */
export interface FormValues {
  kind?: string;
  title?: string;
  description?: string;
  where?: string;
  occurredDate?: string;
  occurredTime?: string;
  area?: string;
  severity?: string;
}

export function formCard(
  lang: Lang,
  input: { areas: readonly AreaName[]; today: string; values?: FormValues; problem?: string },
): object {
  const t = translator(lang);
  const v = input.values ?? {};
  return renderCard(formTemplate, {
    title: t('reports.form.title'),
    emergency: t('reports.form.emergency'),
    never: t('reports.form.never'),
    kindLabel: t('reports.kindLabel'),
    kindError: t('reports.invalid.kind'),
    kind: v.kind ?? '',
    kinds: reportKinds.map((k) => ({ title: t(`reports.kind.${k}` as MessageKey), value: k })),
    titleLabel: t('reports.titleLabel'),
    titleError: t('reports.invalid.title'),
    reportTitle: v.title ?? '',
    descriptionLabel: t('reports.descriptionLabel'),
    descriptionPlaceholder: t('reports.form.descriptionPlaceholder'),
    descriptionError: t('reports.invalid.description'),
    description: v.description ?? '',
    whereLabel: t('reports.whereLabel'),
    where: v.where ?? '',
    dateLabel: t('reports.form.dateLabel'),
    dateError: t('reports.invalid.occurredAt'),
    today: input.today,
    occurredDate: v.occurredDate ?? input.today,
    timeLabel: t('reports.form.timeLabel'),
    occurredTime: v.occurredTime ?? '',
    areaLabel: t('reports.areaLabel'),
    areaError: t('reports.invalid.area'),
    area: v.area ?? '',
    areas: input.areas.map((a) => ({ title: a.name[lang], value: a.id })),
    severityLabel: t('reports.severityLabel'),
    severityError: t('reports.invalid.severity'),
    severity: v.severity ?? '',
    severities: severities.map((s) => ({ title: t(`reports.severity.${s}` as MessageKey), value: s })),
    problem: input.problem ?? '',
    send: t('reports.form.send'),
  });
}

export type CardPurpose = 'sent' | 'incoming' | 'update' | 'overdue' | 'personalData';

export function reportCard(
  lang: Lang,
  viewer: Actor,
  input: {
    report: Report;
    names: (id: string) => string;
    areas: readonly AreaName[];
    owners: { id: string; name: string }[];
    link?: string;
    now: Date;
    refreshUserIds: string[];
    /** Everything, or only what is needed in chat (threats, violence, säkerhetsskydd). */
    details: boolean;
    purpose?: CardPurpose;
    step?: Report['history'][number];
  },
): object {
  const t = translator(lang);
  const { report: r, names } = input;
  const kind = t(`reports.kind.${r.kind}` as MessageKey);
  const area = input.areas.find((a) => a.id === r.areaId)?.name[lang] ?? r.areaId;
  const facts = [
    { title: t('reports.kindLabel'), value: kind },
    { title: t('reports.severityLabel'), value: t(`reports.severity.${r.severity}` as MessageKey) },
    { title: t('reports.areaLabel'), value: area },
    { title: t('reports.occurredLabel'), value: formatDateTime(r.occurredAt) },
    ...(input.details && r.where ? [{ title: t('reports.whereLabel'), value: r.where }] : []),
    { title: t('reports.unitLabel'), value: r.unitName },
    { title: t('reports.reporterLabel'), value: names(r.reporterId) },
    { title: t('reports.managerLabel'), value: names(r.managerId) },
    { title: t('reports.stateLabel'), value: t(`reports.state.${r.state}` as MessageKey) },
  ];
  if (r.kind === 'personalDataIncident') {
    const clock = personalDataClock(r.reportedAt);
    facts.push({
      title: t('reports.gdprLabel'),
      value: r.dpo
        ? t(`reports.dpo.${r.dpo.outcome}` as MessageKey)
        : t('reports.gdprClock', {
            deadline: formatDateTime(clock.deadline),
            hours: Math.max(0, hoursLeft(clock.deadline, input.now)),
          }),
    });
  }
  if (r.decision?.kind === 'followUp')
    facts.push({
      title: t('reports.decisionLabel'),
      value: t('reports.decision.followUpFact', {
        what: r.decision.what,
        owner: names(r.decision.ownerId),
        due: r.decision.due,
      }),
    });
  if (r.decision?.kind === 'noAction')
    facts.push({
      title: t('reports.decisionLabel'),
      value: t('reports.decision.noActionFact', { reason: r.decision.reason }),
    });
  if (r.decision?.kind === 'forwarded')
    facts.push({ title: t('reports.decisionLabel'), value: t('reports.decision.forwardedFact') });
  if (r.cause) facts.push({ title: t('reports.causeLabel'), value: r.cause });
  if (r.lessons) facts.push({ title: t('reports.lessonsLabel'), value: r.lessons });

  const banner = bannerOf(t, r, input.purpose, input.step, names);
  const can = (ability: Parameters<typeof canOnReport>[1]) => canOnReport(viewer, ability, r);
  return renderCard(reportTemplate, {
    refreshLabel: t('review.refresh'),
    refreshUserIds: input.refreshUserIds.slice(0, 60),
    reportId: r.id,
    seen: r.updatedAt,
    title: input.details
      ? t('reports.card.title', { kind, title: r.title })
      : t('reports.card.titleSensitive', { kind }),
    banner: banner?.text ?? '',
    bannerColor: banner?.color ?? 'Default',
    intro:
      input.purpose === 'incoming' && viewer.id !== r.reporterId
        ? t('reports.card.intro', { reporter: names(r.reporterId) })
        : '',
    facts,
    description: input.details ? r.description : '',
    hidden: input.details ? '' : t('reports.card.hidden'),
    history: r.history.map((h) =>
      t('reports.historyLine', {
        when: formatDateTime(h.at),
        name: h.actorId === 'system' ? 'Värn' : names(h.actorId),
        action: t(`reports.action.${h.action}` as MessageKey),
      }),
    ),
    canAcknowledge: can('acknowledge'),
    acknowledgeLabel: t('reports.acknowledge'),
    canDecide: can('decide'),
    decideLabel: t('reports.decide'),
    decisionLabel: t('reports.decisionLabel'),
    decisionError: t('reports.invalid.decision'),
    decisions: [
      { title: t('reports.decision.followUp'), value: 'followUp' },
      { title: t('reports.decision.noAction'), value: 'noAction' },
    ],
    whatLabel: t('reports.whatLabel'),
    ownerLabel: t('reports.ownerLabel'),
    owners: input.owners,
    dueLabel: t('reports.dueLabel'),
    today: stockholmDay(input.now),
    reasonLabel: t('reports.reasonLabel'),
    decideSend: t('reports.decideSend'),
    canForward: can('forward'),
    forwardLabel: t('reports.forward'),
    canClose: can('close'),
    closeLabel: t('reports.close'),
    causeLabel: t('reports.causeLabel'),
    causeError: t('reports.invalid.cause'),
    lessonsLabel: t('reports.lessonsLabel'),
    lessonsError: t('reports.invalid.lessons'),
    closeSend: t('reports.closeSend'),
    canAssess: can('assessPersonalData'),
    assessLabel: t('reports.assess'),
    outcomeLabel: t('reports.outcomeLabel'),
    outcomeError: t('reports.invalid.outcome'),
    outcomes: [
      { title: t('reports.dpo.notified'), value: 'notified' },
      { title: t('reports.dpo.notRequired'), value: 'notRequired' },
    ],
    commentLabel: t('reports.commentLabel'),
    assessSend: t('reports.assessSend'),
    showDetails: !input.details,
    detailsLabel: t('reports.details'),
    link: input.link ?? '',
    linkLabel: t('reports.link'),
  });
}

function bannerOf(
  t: ReturnType<typeof translator>,
  r: Report,
  purpose: CardPurpose | undefined,
  step: Report['history'][number] | undefined,
  names: (id: string) => string,
): { text: string; color: 'Attention' | 'Good' | 'Default' } | undefined {
  if (purpose === 'sent')
    return {
      text: t(r.kind === 'threatOrViolence' ? 'reports.sentSensitive' : 'reports.sent', {
        manager: names(r.managerId),
      }),
      color: 'Good',
    };
  if (purpose === 'update' && step)
    return {
      text: t(`reports.update.${step.action}` as MessageKey, { name: names(step.actorId) }),
      color: step.action === 'closed' ? 'Good' : 'Default',
    };
  if (purpose === 'overdue')
    return { text: t('reports.overdue', { due: formatDateTime(r.dueAt) }), color: 'Attention' };
  if (purpose === 'personalData')
    return {
      text: t('reports.gdprReminder', { deadline: formatDateTime(personalDataClock(r.reportedAt).deadline) }),
      color: 'Attention',
    };
  if (purpose === 'incoming' && r.kind === 'personalDataIncident')
    return { text: t('reports.gdprIncoming'), color: 'Attention' };
  return undefined;
}
