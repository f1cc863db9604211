import type { WithAbilities } from '../ui';

/** The API's records as the views read them (the fields they use). */
export interface Progress {
  units: number;
  open: number;
  returned: number;
  submitted: number;
  signedOff: number;
  rated: number;
  goals: number;
}

export interface Cycle {
  id: string;
  year: number;
  deadline: string;
  status: string;
  report?: { docx: string; csv: string };
}

export interface CycleWithUnits extends WithAbilities {
  cycle: Cycle;
  progress: Progress;
  units: {
    reviewId: string;
    unitId: string;
    unitName: string;
    state: string;
    step: number;
    holderId: string;
    /** Whether the card reached whoever holds the next step. */
    card?: { status: 'sent' | 'queued' | 'failed' | 'none'; reason?: string };
    abilities?: { remind?: boolean };
  }[];
}

export interface FollowUpRow {
  id: string;
  unitId: string;
  unitName: string;
  goalId: string;
  goalText: string;
  what: string;
  ownerName: string;
  due: string;
  status: string;
  notes: { at: string; from?: string; to?: string; comment?: string }[];
}

export interface QuestionRow extends WithAbilities {
  id: string;
  text: string;
  status: string;
  askedByName: string;
  askedAt: string;
  escalatedAt: string | null;
  answer: string | null;
}

export interface CampaignRow extends WithAbilities {
  id: string;
  title: string;
  status: string;
  dispatchedAt?: string;
  closeAt?: string;
  quiz?: { questions: unknown[] };
}

export interface DocumentRow extends WithAbilities {
  documentId: string;
  title: string;
  link: string;
  owner: string | null;
  nextReviewDate: string;
  state: string;
  lastAnswer: { outcome: string; byName: string; at: string } | null;
}

/** A row of GET /governance/documents: every governing document, with or without a review yet. */
export interface GoverningDocument extends WithAbilities {
  documentId: string;
  title: string;
  link: string;
  documentType: string | null;
  adoptedDate: string | null;
  owner: string | null;
  ownerIds: string[];
  nextReviewDate: string | null;
  state: 'scheduled' | 'awaitingAnswer' | 'unscheduled';
  lastAnswer: { outcome: string; byName: string; at: string } | null;
  setByHand: { byName: string; at: string } | null;
}

export const isOpenFollowUp = (f: { status: string }) => f.status === 'open' || f.status === 'inProgress';
