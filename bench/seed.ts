import type postgres from 'postgres';
import { sealChild } from '../src/children/childSecrets.js';
import { newId } from '../src/db/ids.js';
import type { FieldCipher } from '../src/keys/fieldCipher.js';

// Bulk seeding for the benchmarks, straight into the database: many children, each referred to
// an institution for 2025, so that claims can be filed without HTTP set-up per child.

// Unique 18-character ID numbers for seeded children: the database needs them unique, not valid.
let seedSequence = Math.floor(Math.random() * 40_000_000);
export function nextSeedIdNumber(): string {
  seedSequence += 1;
  return `5117022021${String(seedSequence).padStart(8, '0')}`;
}

/** A seeded child's sealed columns, as the service writes them (security.md §5). */
export function sealedSeedChild(cipher: FieldCipher) {
  const sealed = sealChild(cipher, { idNumber: nextSeedIdNumber(), guardianPhone: '13900001111', certificateNo: null });
  return {
    id_number_sealed: sealed.idNumberSealed!,
    id_number_lookup: sealed.idNumberLookup!,
    id_number_tail_lookup: sealed.idNumberTailLookup!,
    id_number_masked: sealed.idNumberMasked!,
    guardian_phone_sealed: sealed.guardianPhoneSealed!,
  };
}

export async function seedReferredChildren(sql: postgres.Sql, cipher: FieldCipher, count: number, institutionId: string, registeredByUserId: string): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 2000) {
    const children = [];
    const applications = [];
    for (let index = start; index < Math.min(count, start + 2000); index++) {
      const id = newId();
      ids.push(id);
      children.push({ id, ...sealedSeedChild(cipher), name: '基准儿童', region_code: '511702', category: 'hearing', birth_date: '2021-02-01', sex: 'male', guardian_name: '家长', guardian_relation: 'mother', registered_by_user_id: registeredByUserId });
      applications.push({ id: newId(), child_id: id, year: 2025, services: '{training,device}', status: 'approved', preferred_institution_id: institutionId, institution_id: institutionId, filed_by_user_id: registeredByUserId, decided_by_user_id: registeredByUserId, decided_at: new Date(), received_on: '2025-01-02' });
    }
    await sql`insert into children ${sql(children)}`;
    await sql`insert into applications ${sql(applications)}`;
  }
  // Thousands of rows that arrived at once: without fresh statistics the planner would take the
  // tables for as small as they were until autovacuum analyses them, a minute later, and a run
  // would measure partly before and partly after. Registered over weeks, as in a county, they would
  // long have been analysed. (This was the first guess at why submission's baseline moved between
  // runs; the cause was a plan cached while the claims table was empty: see analyze() in http.ts.)
  await sql`analyze children, applications`;
  return ids;
}
