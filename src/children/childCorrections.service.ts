import { recordAudit } from '../audit/audit.repository.js';
import type { Database } from '../db/client.js';
import { maskPhone } from '../domain/masks.js';
import type { RequestContext } from '../http/context.js';
import { forbidden, notFound } from '../http/errors.js';
import { findChildInScope, institutionServesChild, updateChild, type ChildRow } from './children.repository.js';
import type { UpdateChildBody } from './children.schemas.js';
import { presentChild } from './children.service.js';

// Corrections to a child's record (api.md, PATCH /children/:id): the name and the guardian, by a
// reviewer of the child's region or by the institution that registered the child and still serves
// it. The ID number never changes, and the certificate and the village have their own routes.

type Correctable = 'name' | 'guardianName' | 'guardianRelation' | 'guardianPhone';

/** How each field is named in the audit trail, and what of it the trail keeps (phones masked). */
const AUDITED: Record<Correctable, { field: string; kept(value: string): string }> = {
  name: { field: 'name', kept: (value) => value },
  guardianName: { field: 'guardian.name', kept: (value) => value },
  guardianRelation: { field: 'guardian.relation', kept: (value) => value },
  guardianPhone: { field: 'guardian.phone', kept: maskPhone },
};

function requestedValues(body: UpdateChildBody): Partial<Record<Correctable, string>> {
  return { name: body.name, guardianName: body.guardian?.name, guardianRelation: body.guardian?.relation, guardianPhone: body.guardian?.phone };
}

export function createChildCorrectionsService(deps: { db: Database }) {
  const { db } = deps;
  return {
    /**
     * PATCH /children/:id: the fields sent that differ from the record change, in one transaction
     * with one `child.updated` row holding each field's old and new value (phones masked). A
     * request that changes nothing writes nothing.
     */
    async update(context: RequestContext, id: string, body: UpdateChildBody) {
      const { actor } = context;
      return db.transaction(async (tx) => {
        const row = await findChildInScope(tx, actor, id, { lock: true });
        if (!row) throw notFound('child');
        // An institution sees the children it registered and those it is referred; it corrects only
        // a child it registered and still serves.
        if (actor.role === 'institution' && (row.registeredByInstitutionId !== actor.institutionId || !(await institutionServesChild(tx, actor.institutionId!, id)))) {
          throw forbidden('an institution corrects only a child it registered and still serves (an approved referral it has not seen end); ask the county’s reviewer');
        }
        const changes: Partial<Pick<ChildRow, Correctable>> = {};
        const audited: Record<string, { old: string; new: string }> = {};
        for (const [key, value] of Object.entries(requestedValues(body)) as [Correctable, string | undefined][]) {
          if (value === undefined || value === row[key]) continue;
          changes[key] = value;
          audited[AUDITED[key].field] = { old: AUDITED[key].kept(row[key]), new: AUDITED[key].kept(value) };
        }
        if (Object.keys(changes).length === 0) return presentChild(row);
        const updated = await updateChild(tx, id, changes);
        await recordAudit(tx, context, { action: 'child.updated', entityType: 'child', entityId: id, regionCode: row.regionCode, data: { changes: audited } });
        return presentChild(updated);
      });
    },
  };
}

export type ChildCorrectionsService = ReturnType<typeof createChildCorrectionsService>;
