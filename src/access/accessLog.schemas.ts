import { z } from 'zod';
import { ACCESS_ACTIONS } from '../db/schema.js';
import { DateString, Id, Timestamp } from '../http/schemas.js';

export const AccessLogFilterQuery = z.object({
  actorId: Id.optional(),
  entityType: z.string().trim().min(1).max(50).optional().meta({ description: 'child, beneficiary, batch, roll, claim, reconciliation, backup, audit, access_log, case, notice, quarterly_update' }),
  entityId: Id.optional(),
  from: DateString.optional().meta({ description: 'From this China date, its whole day' }),
  to: DateString.optional().meta({ description: 'Through this China date, its whole day' }),
});
export type AccessLogFilterQuery = z.infer<typeof AccessLogFilterQuery>;

export const AccessLogQuery = AccessLogFilterQuery.extend({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});
export type AccessLogQuery = z.infer<typeof AccessLogQuery>;

export const AccessLogEntrySchema = z.object({
  id: Id,
  at: Timestamp,
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  actorRole: z.string().nullable(),
  action: z.enum(ACCESS_ACTIONS),
  entityType: z.string(),
  entityId: z.string().nullable(),
  filter: z.record(z.string(), z.unknown()).nullable().meta({ description: 'What was searched for or downloaded; an ID number (or a search with digits) as {"hmac": "<key id>:<hex>"}' }),
  clientAddress: z.string().nullable(),
});
