/**
 * Permissions are declared policies: one per record type, a rule per ability, and the same three
 * questions asked of every one of them. `can` answers yes or no (cards show only the buttons their
 * viewer may use), `authorize` throws the 403 AppError (card verbs, chat commands, the tab API), and
 * `abilities` is what goes out with a record in a tab API response, so the tab hides what the server
 * would refuse.
 *
 *   const questionPolicy = definePolicy<Question>()({ answer: (actor, q) => … });
 *   questionPolicy.authorize(actor, 'answer', question);
 */
import { forbidden } from './errors';
import type { MessageKey } from './i18n';
import type { Actor } from './org/actor';

export type Rule<R> = (actor: Actor, record: R) => boolean;

export interface Policy<R, A extends string> {
  readonly abilities: readonly A[];
  can(actor: Actor, ability: A, record: R): boolean;
  /** Throws the 403 AppError (with the policy's refusal message) unless the actor may. */
  authorize(actor: Actor, ability: A, record: R): void;
  /** Every ability (or the ones named) for this actor on this record, as a tab API response carries them. */
  abilitiesOf<K extends A = A>(actor: Actor, record: R, only?: readonly K[]): Record<K, boolean>;
}

export interface PolicyOptions<A extends string> {
  /** What a refused person reads; the generic "not allowed" when absent. */
  refusal?: MessageKey | ((ability: A) => MessageKey);
}

/** Declares the policy of one record type `R` (curried so that the abilities are inferred from the rules). */
export function definePolicy<R>() {
  return <A extends string>(rules: Record<A, Rule<R>>, options: PolicyOptions<A> = {}): Policy<R, A> => {
    const abilities = Object.keys(rules) as A[];
    const can = (actor: Actor, ability: A, record: R): boolean => rules[ability](actor, record);
    const refusal = (ability: A): MessageKey | undefined =>
      typeof options.refusal === 'function' ? options.refusal(ability) : options.refusal;
    return {
      abilities,
      can,
      authorize(actor, ability, record) {
        if (!can(actor, ability, record)) throw forbidden(refusal(ability));
      },
      abilitiesOf<K extends A = A>(actor: Actor, record: R, only?: readonly K[]) {
        const names = (only ?? abilities) as readonly K[];
        return Object.fromEntries(names.map((a) => [a, can(actor, a, record)])) as Record<K, boolean>;
      },
    };
  };
}
