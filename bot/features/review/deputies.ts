/** Deputies (ersättare): anyone names one for a period; it matters where they hold a step. */
import { randomUUID } from 'node:crypto';
import { badInput, forbidden } from '../../platform/errors';
import { type Lang, translator } from '../../platform/i18n';
import type { Person } from '../../platform/org/model';
import { event, type ReviewContext } from './context';
import { deputyCard } from './present';
import { DAY, type DeputyInput } from './schema';

/** The deputy form: the person's current deputies, and their unit's members and the other managers to choose from. */
export async function deputyForm(
  ctx: ReviewContext,
  actorId: string,
  lang: Lang,
  status?: { text: string; good: boolean },
): Promise<object> {
  const { directory, store, people } = ctx.deps;
  const person = await directory.person(actorId);
  if (!person) throw forbidden();
  const today = ctx.today();
  const mine = (await store.deputies.find({ principalId: actorId }))
    .map((d) => d.value)
    .filter((d) => d.to >= today);
  const names = await people.names(mine.map((d) => d.deputyId));
  const colleagues = (await Promise.all((await directory.units()).map((u) => directory.person(u.managerId))))
    .filter((p) => p !== undefined && p.id !== actorId)
    .filter((p, i, all) => all.findIndex((q) => q?.id === p?.id) === i) as Person[];
  return deputyCard(lang, {
    people: [
      ...(await directory.membersOf(person.unitId)).filter((p) => p.id !== actorId),
      ...colleagues,
    ].filter((p, i, all) => all.findIndex((q) => q.id === p.id) === i),
    current: mine.map((d) => ({ name: names(d.deputyId), from: d.from, to: d.to })),
    today,
    status,
  });
}

/** Names a deputy for a period. */
export async function setDeputy(
  ctx: ReviewContext,
  actorId: string,
  lang: Lang,
  input: DeputyInput,
): Promise<object> {
  const { directory, store } = ctx.deps;
  const t = translator(lang);
  if (!(await directory.person(actorId))) throw forbidden();
  if (input.deputyId === actorId) throw badInput('review.deputy.self');
  const deputy = await directory.person(input.deputyId);
  if (!deputy) throw badInput('review.deputy.unknown');
  if (!DAY.test(input.from) || !DAY.test(input.to) || input.to < input.from || input.to < ctx.today())
    throw badInput('review.deputy.badPeriod');
  const now = ctx.now();
  const record = {
    id: randomUUID(),
    principalId: actorId,
    deputyId: input.deputyId,
    from: input.from,
    to: input.to,
    createdAt: now,
  };
  await store.transaction(async (tx) => {
    await tx.deputies.insert(record);
    await tx.auditEvents.append(
      event(actorId, 'deputy', record.id, 'name', now, {
        comment: `${input.deputyId} ${input.from}–${input.to}`,
      }),
    );
  });
  return deputyForm(ctx, actorId, lang, {
    text: t('review.deputy.saved', { name: deputy.name, from: input.from, to: input.to }),
    good: true,
  });
}
