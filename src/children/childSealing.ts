import { eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { children } from '../db/schema.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import { sealChild } from './childSecrets.js';

// The first start after the upgrade to sealed personal data (security.md §5): every child still
// kept in clear is sealed, all in one transaction (a start that fails leaves them as they were and
// the next start tries again), and the table is then rewritten so that its data files no longer
// hold the old values. The service runs this before it serves.

export async function sealPlaintextChildren(db: Database, cipher: FieldCipher): Promise<number> {
  const sealed = await db.transaction(async (tx) => {
    const rows = await tx
      .select({ id: children.id, idNumber: children.plainIdNumber, guardianPhone: children.plainGuardianPhone, certificateNo: children.plainCertificateNo })
      .from(children)
      .where(isNull(children.idNumberSealed))
      .orderBy(children.id)
      .for('update');
    for (const row of rows) {
      await tx
        .update(children)
        .set({
          ...sealChild(cipher, { idNumber: row.idNumber!, guardianPhone: row.guardianPhone!, certificateNo: row.certificateNo }),
          plainIdNumber: null,
          plainGuardianPhone: null,
          plainCertificateNo: null,
        })
        .where(eq(children.id, row.id));
    }
    return rows.length;
  });
  // The updated rows' old versions still lie in the table's pages until it is rewritten.
  if (sealed > 0) {
    await db.execute(sql`vacuum full children`);
    await db.execute(sql`checkpoint`);
  }
  return sealed;
}
