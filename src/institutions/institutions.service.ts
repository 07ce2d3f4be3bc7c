import type { Actor, RequestContext } from '../http/context.js';
import { recordAudit } from '../audit/audit.repository.js';
import { sqlState, type Database, type Transaction } from '../db/client.js';
import { newId } from '../db/ids.js';
import { maskAccount } from '../domain/masks.js';
import type { Service } from '../domain/vocabulary.js';
import { AppError, invalidState, notFound } from '../http/errors.js';
import { requireSecondPerson } from '../http/fourEyes.js';
import { decodeCursor, presentPage } from '../http/pagination.js';
import type { CreateInstitutionBody, UpdateInstitutionBody } from './institutions.schemas.js';
import {
  closeAccountChange,
  findInstitutionByCode,
  findInstitutionForUpdate,
  findInstitutionInScope,
  insertAccountChange,
  insertInstitution,
  listInstitutionsInScope,
  pendingAccountChanges,
  updateInstitution,
  type InstitutionRow,
  type InstitutionScope,
  type PendingAccountChange,
} from './institutions.repository.js';
import { iso } from '../http/schemas.js';

interface BankAccount {
  bank: string;
  accountName: string;
  accountNumber: string;
}

export function presentInstitution(row: InstitutionRow, pending: PendingAccountChange | null | undefined) {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    regionCode: row.regionCode,
    services: row.services as Service[],
    bankAccount: { bank: row.bankName, accountName: row.bankAccountName, accountNumber: row.bankAccountNumber },
    pendingBankAccount: pending
      ? {
          bank: pending.bankName,
          accountName: pending.bankAccountName,
          accountNumber: pending.bankAccountNumber,
          requestedBy: { id: pending.requestedByUserId, name: pending.requestedByName },
          requestedAt: iso(pending.requestedAt),
        }
      : null,
    createdAt: iso(row.createdAt),
  };
}

/** An account as the audit trail keeps it: the number masked (first 3 / last 4). */
const auditedAccount = (account: BankAccount) => ({ bank: account.bank, accountName: account.accountName, accountNumber: maskAccount(account.accountNumber) });

const accountOf = (row: InstitutionRow): BankAccount => ({ bank: row.bankName, accountName: row.bankAccountName, accountNumber: row.bankAccountNumber });

const sameAccount = (a: BankAccount, b: BankAccount) => a.bank === b.bank && a.accountName === b.accountName && a.accountNumber === b.accountNumber;

function scopeOf(actor: Actor): InstitutionScope {
  return { onlyInstitutionId: actor.role === 'institution' ? actor.institutionId : null };
}

function alreadyExists(existingId: string | undefined) {
  return new AppError('ALREADY_EXISTS', 'an institution with this code exists', existingId ? [{ id: existingId }] : []);
}

export function createInstitutionsService(deps: { db: Database }) {
  const { db } = deps;

  const pendingOf = async (db: Database | Transaction, id: string) => (await pendingAccountChanges(db, [id])).get(id) ?? null;

  /**
   * A request to pay the institution into another account (security.md §2): it waits, pending,
   * for another admin; until then payments and new batches keep the old account. A second request
   * replaces a pending one.
   */
  async function requestAccountChange(tx: Transaction, context: RequestContext, institution: InstitutionRow, account: BankAccount) {
    const pending = await pendingOf(tx, institution.id);
    if (!pending && sameAccount(account, accountOf(institution))) return;
    if (pending) await closeAccountChange(tx, pending.id, 'replaced', context.actor.id, context.now);
    const changeId = newId();
    await insertAccountChange(tx, {
      id: changeId,
      institutionId: institution.id,
      bankName: account.bank,
      bankAccountName: account.accountName,
      bankAccountNumber: account.accountNumber,
      status: 'pending',
      requestedByUserId: context.actor.id,
      requestedAt: context.now,
    });
    await recordAudit(tx, context, {
      action: 'bank_account.change_requested',
      entityType: 'institution',
      entityId: institution.id,
      regionCode: institution.regionCode,
      data: {
        code: institution.code,
        changeId,
        current: auditedAccount(accountOf(institution)),
        requested: auditedAccount(account),
        replaces: pending ? { changeId: pending.id, requestedByUserId: pending.requestedByUserId } : null,
      },
    });
  }

  return {
    async create(context: RequestContext, body: CreateInstitutionBody) {
      try {
        const row = await db.transaction(async (tx) => {
          const existing = await findInstitutionByCode(tx, body.code);
          if (existing) throw alreadyExists(existing.id);
          const created = await insertInstitution(tx, {
            id: newId(),
            code: body.code,
            name: body.name,
            regionCode: body.regionCode,
            services: body.services,
            bankName: body.bankAccount.bank,
            bankAccountName: body.bankAccount.accountName,
            bankAccountNumber: body.bankAccount.accountNumber,
            createdAt: context.now,
          });
          await recordAudit(tx, context, {
            action: 'institution.created',
            entityType: 'institution',
            entityId: created.id,
            regionCode: created.regionCode,
            data: { code: created.code, name: created.name, services: created.services, bankAccount: auditedAccount(accountOf(created)) },
          });
          return created;
        });
        return presentInstitution(row, null);
      } catch (error) {
        // Two admins creating the same code at once: the unique index decides.
        if (sqlState(error) === '23505') throw alreadyExists((await findInstitutionByCode(db, body.code))?.id);
        throw error;
      }
    },

    /**
     * PUT /institutions/:id: its name and designated services change at once, audited with the
     * values before and after; a bank account becomes a pending change that another admin
     * confirms. Batches already made keep the payee they were made with.
     */
    async update(context: RequestContext, id: string, body: UpdateInstitutionBody) {
      await db.transaction(async (tx) => {
        const before = await findInstitutionForUpdate(tx, id);
        if (!before) throw notFound('institution');
        if (body.name !== undefined || body.services !== undefined) {
          const after = await updateInstitution(tx, id, { name: body.name ?? before.name, services: body.services ?? before.services });
          const shown = (institution: InstitutionRow) => ({ name: institution.name, services: institution.services });
          await recordAudit(tx, context, {
            action: 'institution.updated',
            entityType: 'institution',
            entityId: id,
            regionCode: before.regionCode,
            data: { code: before.code, before: shown(before), after: shown(after) },
          });
        }
        if (body.bankAccount) await requestAccountChange(tx, context, before, body.bankAccount);
      });
      return this.get(context, id);
    },

    /** POST /institutions/:id/bank-account/confirm: another admin than the one who asked makes the change take effect. */
    async confirmAccountChange(context: RequestContext, id: string) {
      await db.transaction(async (tx) => {
        const institution = await findInstitutionForUpdate(tx, id);
        if (!institution) throw notFound('institution');
        const pending = await pendingOf(tx, id);
        if (!pending) throw invalidState('no change of this institution’s bank account is waiting for confirmation');
        requireSecondPerson(context.actor, pending.requestedByUserId, { secondStep: 'confirming this bank account change', firstStep: 'asked for it' });
        const account = { bank: pending.bankName, accountName: pending.bankAccountName, accountNumber: pending.bankAccountNumber };
        await updateInstitution(tx, id, { bankName: account.bank, bankAccountName: account.accountName, bankAccountNumber: account.accountNumber });
        await closeAccountChange(tx, pending.id, 'confirmed', context.actor.id, context.now);
        await recordAudit(tx, context, {
          action: 'bank_account.confirmed',
          entityType: 'institution',
          entityId: id,
          regionCode: institution.regionCode,
          data: {
            code: institution.code,
            changeId: pending.id,
            requestedByUserId: pending.requestedByUserId,
            requestedAt: iso(pending.requestedAt),
            before: auditedAccount(accountOf(institution)),
            after: auditedAccount(account),
          },
        });
      });
      return this.get(context, id);
    },

    async get(context: RequestContext, id: string) {
      const row = await findInstitutionInScope(db, scopeOf(context.actor), id);
      if (!row) throw notFound('institution');
      return presentInstitution(row, await pendingOf(db, id));
    },

    async list(context: RequestContext, query: { regionCode?: string | undefined; cursor?: string | undefined; limit: number }) {
      const rows = await listInstitutionsInScope(db, scopeOf(context.actor), {
        regionCode: query.regionCode,
        afterId: decodeCursor(query.cursor),
        limit: query.limit,
      });
      const pending = await pendingAccountChanges(db, rows.map((row) => row.id));
      return presentPage(rows, query.limit, (row) => presentInstitution(row, pending.get(row.id)));
    },
  };
}

export type InstitutionsService = ReturnType<typeof createInstitutionsService>;
