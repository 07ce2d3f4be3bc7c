import type { Database } from '../db/client.js';
import { createApprovalsService } from './approvals.service.js';
import { createPreviewService } from './preview.service.js';
import { createQueriesService } from './queries.service.js';
import { createSubmissionsService } from './submissions.service.js';
import { createTransitionsService } from './transitions.service.js';
import type { FieldCipher } from '../keys/fieldCipher.js';

// The claims programme's actions, one module each, with the checks they share in claimChecks.ts:
//   submissions.service.ts  submit, submit many (upload), correct a returned claim
//   approvals.service.ts    approve one, approve many (批量审核)
//   transitions.service.ts  return, reject, withdraw
//   queries.service.ts      get, list (and the review queue), count, export
//   preview.service.ts      the settlement a claim would get, and what it would be refused for
// The routes take them together.

export function createClaimsService(deps: { db: Database; cipher: FieldCipher }) {
  return {
    ...createSubmissionsService(deps),
    ...createApprovalsService(deps),
    ...createTransitionsService(deps),
    ...createQueriesService(deps),
    ...createPreviewService(deps),
  };
}

export type ClaimsService = ReturnType<typeof createClaimsService>;
