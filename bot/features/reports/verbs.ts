/** The report feature's card verbs: typed constants, registered in routes.ts (a test checks every card's verbs are). */
export const verbs = {
  form: 'reports.form',
  create: 'reports.create',
  view: 'reports.view',
  acknowledge: 'reports.acknowledge',
  decide: 'reports.decide',
  forward: 'reports.forward',
  close: 'reports.close',
  assessPersonalData: 'reports.assessPersonalData',
} as const;
export type ReportVerb = (typeof verbs)[keyof typeof verbs];

/** Sender kinds (renderers) and scheduler job kinds. */
export const reportDeliveryKinds = {
  /** The new report to its manager (and deputy), the security function, chief or DPO. */
  incoming: 'reports.incoming',
  /** A step of the handling, to the reporter. */
  update: 'reports.update',
  /** Handling overdue: to the handler, then one level up the line. */
  overdue: 'reports.overdue',
  /** The 72-hour clock of a personal-data incident, to the data protection officer. */
  personalDataReminder: 'reports.personalDataReminder',
} as const;

export const reportJobKinds = {
  overdue: 'reports.overdue',
  personalDataReminder: 'reports.personalDataReminder',
} as const;
