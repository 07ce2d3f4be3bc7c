import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import { newId } from '../src/db/ids.js';

// Bulk seeding for the benchmarks, straight into the database: many children, each referred to
// an institution for 2025, so that claims can be filed without HTTP set-up per child.

export async function seedReferredChildren(sql: postgres.Sql, count: number, institutionId: string, registeredByUserId: string): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 2000) {
    const children = [];
    const applications = [];
    for (let index = start; index < Math.min(count, start + 2000); index++) {
      const id = newId();
      ids.push(id);
      // Unique 18-character ID numbers that need not carry a valid check character for the
      // database: made from the id so they never collide.
      const idNumber = `5117022021${randomUUID().replace(/\D/g, '').padEnd(8, '0').slice(0, 8)}`;
      children.push({ id, id_number: idNumber, name: '基准儿童', region_code: '511702', category: 'hearing', birth_date: '2021-02-01', sex: 'male', guardian_name: '家长', guardian_relation: 'mother', guardian_phone: '13900001111', registered_by_user_id: registeredByUserId });
      applications.push({ id: newId(), child_id: id, year: 2025, services: '{training,device}', status: 'approved', preferred_institution_id: institutionId, institution_id: institutionId, filed_by_user_id: registeredByUserId, decided_by_user_id: registeredByUserId, decided_at: new Date() });
    }
    await sql`insert into children ${sql(children)} on conflict (id_number) do nothing`;
    await sql`insert into applications ${sql(applications)}`;
  }
  return ids;
}
