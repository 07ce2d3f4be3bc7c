import { recordAudit, type AuditContext } from '../audit/audit.repository.js';
import type { Executor } from '../db/client.js';
import { AppError } from '../http/errors.js';
import type { PasswordHasher } from './passwords.js';
import { PASSWORD_RULE_MESSAGES, passwordProblems, type PasswordRule } from './passwordPolicy.js';
import { disableBootstrapAdmins, recentPasswordHashes, rememberPassword, updateUser, type UserRow } from './users.repository.js';

// Setting a password (activation, a change, an upgraded admin's first one): the policy, then the
// hash and the history in the caller's transaction; a personal admin's first password closes the
// bootstrap admin's door.

/** 400 WEAK_PASSWORD naming every rule the password breaks, its last five included. */
export async function refuseWeakPassword(db: Executor, hasher: PasswordHasher, user: UserRow, password: string): Promise<void> {
  const problems: PasswordRule[] = passwordProblems(password, user.username);
  for (const earlier of await recentPasswordHashes(db, user.id)) {
    if (await hasher.verify(earlier, password)) {
      problems.push('RECENTLY_USED');
      break;
    }
  }
  if (problems.length > 0) {
    throw new AppError(
      'WEAK_PASSWORD',
      `the password does not meet the policy: ${problems.map((rule) => PASSWORD_RULE_MESSAGES[rule]).join('; ')}`,
      problems.map((rule) => ({ field: 'password', rule, message: PASSWORD_RULE_MESSAGES[rule] })),
    );
  }
}

/** Stores the new hash (first activation too) in the caller's transaction; the activation code is spent. */
export async function storePassword(tx: Executor, user: UserRow, passwordHash: string, now: Date): Promise<UserRow> {
  await rememberPassword(tx, user.id, passwordHash, now);
  return updateUser(tx, user.id, {
    passwordHash,
    passwordChangedAt: now,
    activatedAt: user.activatedAt ?? now,
    activationCodeHash: null,
    activationExpiresAt: null,
  });
}

/** The first personal admin with a password of their own ends the bootstrap admin (audited). */
export async function closeBootstrapDoor(tx: Executor, context: AuditContext, admin: UserRow): Promise<void> {
  if (admin.role !== 'admin' || admin.bootstrap) return;
  for (const retired of await disableBootstrapAdmins(tx, context.now)) {
    await recordAudit(tx, context, {
      action: 'user.disabled',
      entityType: 'user',
      entityId: retired.id,
      regionCode: null,
      data: { reason: 'the bootstrap admin’s token stops: a personal admin has activated', personalAdminId: admin.id },
    });
  }
}
