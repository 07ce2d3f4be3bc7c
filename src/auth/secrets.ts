import { createHmac, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { serviceSecrets } from '../db/schema.js';

// A key the service makes on first start and keeps in the database, so that every instance on one
// database has the same one. It keys the HMAC that stands for a typed username in the lockout
// counters and in the audit of failed sign-ins (people type passwords into the name field). The
// data key of security.md §5 (DATA_KEY_FILE, outside the database) is the better home once it
// exists; this key then moves there.

const USERNAME_KEY = 'sign_in_username_hmac';

export async function loadUsernameKey(db: Database, now: Date): Promise<Buffer> {
  await db
    .insert(serviceSecrets)
    .values({ name: USERNAME_KEY, secret: randomBytes(32), createdAt: now })
    .onConflictDoNothing();
  const rows = await db.select().from(serviceSecrets).where(eq(serviceSecrets.name, USERNAME_KEY)).limit(1);
  return rows[0]!.secret;
}

/** The keyed HMAC of a username as typed, compared without case and surrounding space. */
export function usernameHmac(key: Buffer, typed: string): string {
  return createHmac('sha256', key).update(typed.trim().toLowerCase(), 'utf8').digest('hex');
}

