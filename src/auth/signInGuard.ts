import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { signInAddressFailures, signInLocks } from '../db/schema.js';
import { AppError } from '../http/errors.js';
import { ADDRESS_FAILURE_LIMIT, ADDRESS_WINDOW_MS, LOCKOUT_WINDOW_MS, type AuthSettings } from './settings.js';

// The two counters that slow down guessing, kept in the database so that every instance of the
// service sees the same counts (security.md §1, Lockout and Per address):
// - a name from one client address: SIGN_IN_MAX_FAILURES failures within 15 minutes lock that pair;
// - a client address: more than 30 failed sign-ins or activations within 60 seconds of the first
//   of them refuse every attempt from it until the 60 seconds have passed. Successful attempts are
//   never counted: an office behind one address signs in together at half past eight.
// Every time comes from the app's clock.

/** 429 RATE_LIMITED while the address has used up its failed attempts for the window. */
export async function refuseBusyAddress(db: Executor, clientAddress: string, now: Date): Promise<void> {
  const rows = await db.select().from(signInAddressFailures).where(eq(signInAddressFailures.clientAddress, clientAddress)).limit(1);
  const row = rows[0];
  if (!row) return;
  const windowEndsMs = row.windowStartedAt.getTime() + ADDRESS_WINDOW_MS;
  // More than 30 failures: the 31st was answered as a failure; every attempt after it waits.
  if (windowEndsMs <= now.getTime() || row.failures <= ADDRESS_FAILURE_LIMIT) return;
  const retryAfterSeconds = Math.max(1, Math.ceil((windowEndsMs - now.getTime()) / 1000));
  throw new AppError('RATE_LIMITED', `too many failed attempts from this address; try again in ${retryAfterSeconds} s`, [{ retryAfterSeconds }]);
}

/** Counts a failed sign-in or activation of the address (a new window once the last has passed). */
export async function countAddressFailure(db: Executor, clientAddress: string, now: Date): Promise<void> {
  // Instants inside raw SQL go as ISO strings: drizzle's postgres.js driver takes no Date there.
  const windowOpenedAfter = sql`${new Date(now.getTime() - ADDRESS_WINDOW_MS).toISOString()}::timestamptz`;
  const nowSql = sql`${now.toISOString()}::timestamptz`;
  const table = signInAddressFailures;
  await db
    .insert(table)
    .values({ clientAddress, windowStartedAt: now, failures: 1 })
    .onConflictDoUpdate({
      target: table.clientAddress,
      set: {
        windowStartedAt: sql`case when ${table.windowStartedAt} <= ${windowOpenedAfter} then ${nowSql} else ${table.windowStartedAt} end`,
        failures: sql`case when ${table.windowStartedAt} <= ${windowOpenedAfter} then 1 else ${table.failures} + 1 end`,
      },
    });
}

/** When the pair is locked now, until when; else null. */
export async function lockedUntil(db: Executor, usernameKey: string, clientAddress: string, now: Date): Promise<Date | null> {
  const rows = await db
    .select({ lockedUntil: signInLocks.lockedUntil })
    .from(signInLocks)
    .where(and(eq(signInLocks.usernameKey, usernameKey), eq(signInLocks.clientAddress, clientAddress)))
    .limit(1);
  const until = rows[0]?.lockedUntil ?? null;
  return until && until > now ? until : null;
}

/**
 * Counts a failure of the pair; when it reaches the limit within the window, locks the pair and
 * answers until when (the failures start again from none after the lock).
 */
export async function countPairFailure(db: Executor, settings: AuthSettings, usernameKey: string, clientAddress: string, now: Date): Promise<Date | null> {
  const windowStart = new Date(now.getTime() - LOCKOUT_WINDOW_MS).toISOString();
  const at = now.toISOString();
  const result = (await db.execute(sql`
    insert into sign_in_locks (username_key, client_address, failures, locked_until)
    values (${usernameKey}, ${clientAddress}, array[${at}::timestamptz], null)
    on conflict (username_key, client_address) do update set failures = array_append(
      array(select failure from unnest(sign_in_locks.failures) as failure where failure > ${windowStart}::timestamptz), ${at}::timestamptz)
    returning cardinality(failures)::int as count`)) as unknown as { rows: { count: number }[] } | { count: number }[];
  const row = ('rows' in result ? result.rows : result)[0];
  if (Number(row!.count) < settings.signInMaxFailures) return null;
  const until = new Date(now.getTime() + settings.signInLockMinutes * 60_000);
  await db
    .update(signInLocks)
    .set({ failures: sql`'{}'::timestamptz[]`, lockedUntil: until })
    .where(and(eq(signInLocks.usernameKey, usernameKey), eq(signInLocks.clientAddress, clientAddress)));
  return until;
}

/** A successful sign-in forgets the pair's failures. */
export async function clearPair(db: Executor, usernameKey: string, clientAddress: string): Promise<void> {
  await db.delete(signInLocks).where(and(eq(signInLocks.usernameKey, usernameKey), eq(signInLocks.clientAddress, clientAddress)));
}

/** An admin's enable or reset unlocks the name early, from every address. */
export async function unlockName(db: Executor, usernameKey: string): Promise<void> {
  await db.delete(signInLocks).where(eq(signInLocks.usernameKey, usernameKey));
}
