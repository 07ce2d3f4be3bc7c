import { invalidState } from '../http/errors.js';
import type { ChildRow } from './children.repository.js';

/** Why a programme refuses, for now, to see a child's record closed: in English for the API, in Chinese for the clerk. */
export interface CloseRefusalReason {
  message: string;
  hint: string;
}

/**
 * A closed record (api.md, Children: a wrong ID number is a new registration and the old record is
 * closed) takes no new application, enrolment or case: each programme asks this before it starts one.
 */
export function refuseIfClosed(child: Pick<ChildRow, 'closedAt' | 'closedReason'>): void {
  if (child.closedAt) {
    throw invalidState(
      `the child's record is closed (${child.closedReason}): work on the child's current registration`,
      `此儿童档案已注销（${child.closedReason}），不能再办理；请在该儿童按正确身份证号重新登记的档案中办理。`,
    );
  }
}
