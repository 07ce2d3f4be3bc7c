// The review deadline of a piece of work a reviewer decides (an application, a submitted claim),
// as the API gives it and the console shows it (domain.md, 办理时限; computed in calendar/deadlines.ts).

export interface Timing {
  /** The China date of receipt, or of the latest (re)submission. */
  receivedOn: string;
  dueOn: string;
  /** Still waiting after its due date. */
  overdue: boolean;
  /** The China date of the decision, once decided. */
  decidedOn: string | null;
  decidedInTime: boolean | null;
}
