/**
 * The yearly review (årlig uppföljning): a ReviewCycle opened by the security chief, one UnitReview
 * per participating unit moving up its sign-off chain, Assessments per goal, SignOffs per step,
 * and Deputies (ersättare) who act for an approver during a period.
 */
import { z } from 'zod';

export const ratings = ['met', 'partlyMet', 'notMet', 'notApplicable'] as const;
export type Rating = (typeof ratings)[number];
/** A rating that is a gap: it needs a follow-up or a stated reason. */
export const isGap = (rating: Rating | undefined) => rating === 'partlyMet' || rating === 'notMet';

/** Who signs a step of the chain, resolved per unit when the cycle opens. */
export const chainRoles = [
  'lineManager',
  'headOfAdministration',
  'securityChief',
  'regionalDirector',
] as const;
export type ChainRole = (typeof chainRoles)[number];

export interface Goal {
  id: string;
  text: string;
}

export interface Area {
  id: string;
  name: { sv: string; en: string };
  goals: Goal[];
}

/** The policy's areas and goals (content/review/goals.json): the template a cycle starts from. */
export const goalTemplateSchema = z.object({
  source: z.string(),
  chain: z.array(z.enum(chainRoles)).min(1),
  areas: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z][a-z0-9]*$/),
        name: z.object({ sv: z.string().min(1), en: z.string().min(1) }),
        goals: z
          .array(z.object({ id: z.string().regex(/^[a-z][a-z0-9]*$/), text: z.string().min(1) }))
          .min(1),
      }),
    )
    .min(1),
});
export type GoalTemplate = z.infer<typeof goalTemplateSchema>;

export interface ReviewSchedule {
  /** Reminders to whoever holds the next step, this many days before the deadline. */
  reminderDaysBefore: number[];
  /** Escalations one level up the line, this many days after the deadline. */
  escalationDaysAfter: number[];
  /** Overdue follow-ups: the owner is reminded on the due date + first value, the manager on + second. */
  followUpOverdueDays: [number, number];
}

export type CycleStatus = 'open' | 'closed';

export interface ReviewCycle {
  /** `cycle-<year>`: one cycle per year and organisation. */
  id: string;
  year: number;
  organisation: string;
  status: CycleStatus;
  /** The last day (yyyy-mm-dd, Europe/Stockholm). */
  deadline: string;
  areas: Area[];
  chain: ChainRole[];
  unitIds: string[];
  schedule: ReviewSchedule;
  openedBy: string;
  openedAt: string;
  closedBy?: string;
  closedAt?: string;
  /** Where the annual report (säkerhetsbokslut) was stored when the cycle closed. */
  report?: { docx: string; csv: string };
}

export type ReviewState = 'open' | 'submitted' | 'returned' | 'signedOff';

export interface FollowUpDraft {
  what: string;
  ownerId: string;
  /** yyyy-mm-dd */
  due: string;
}

export interface Assessment {
  goalId: string;
  rating?: Rating;
  comment?: string;
  evidence?: string;
  followUp?: FollowUpDraft;
  /** Why a gap gets no follow-up. */
  reason?: string;
}

export interface ChainStep {
  role: ChainRole;
  personId: string;
}

export interface SignOff {
  step: number;
  role: ChainRole;
  decision: 'approved' | 'returned';
  /** Who pressed the button. */
  actorId: string;
  /** Set when a deputy acted for the step's holder. */
  onBehalfOf?: string;
  at: string;
  comment?: string;
}

export interface UnitReview {
  /** `<cycleId>:<unitId>` */
  id: string;
  cycleId: string;
  unitId: string;
  unitName: string;
  managerId: string;
  chain: ChainStep[];
  /** The managers above the unit, nearest first: who an escalation goes to when the chain ends. */
  lineIds: string[];
  state: ReviewState;
  /** The chain step waiting for a decision while submitted. */
  step: number;
  /** How many times it was submitted; a new round after each return. */
  round: number;
  /** Who holds the next step ('' when signed off); indexed for "min uppföljning". */
  holderId: string;
  assessments: Record<string, Assessment>;
  signOffs: SignOff[];
  returnComment?: string;
  submittedAt?: string;
  signedOffAt?: string;
  updatedAt: string;
}

/** An approver's stand-in (ersättare) for a period (yyyy-mm-dd, both days included). */
export interface Deputy {
  id: string;
  principalId: string;
  deputyId: string;
  from: string;
  to: string;
  createdAt: string;
}

/** A card sent to someone about a record (the platform's one mechanism, platform/teams/copies.ts). */
export type { SentCard } from '../../platform/teams/copies';

export const reviewId = (cycleId: string, unitId: string) => `${cycleId}:${unitId}`;
export const cycleIdOf = (year: number) => `cycle-${year}`;

/** The owner choice on the area card that removes a goal's follow-up (not empty: clients leave empty choices out). */
export const NO_FOLLOW_UP = 'none';
