import type { Executor } from '../db/client.js';
import type { ServiceKeyring } from '../keys/serviceKeys.js';
import { GENESIS_HASH, nextChainHash } from './auditChain.js';
import { countUnsealed, firstRowOutOfOrder, lastRun, sealRuns, sealsWithRows, snapshotBounds, type SealRunRow } from './auditSeals.repository.js';

// npm run verify-audit (and GET /audit/verify for the auditor): recomputes the sealed chain from
// the first seal and names the first row that was changed, removed or inserted out of order.

export type AuditProblemKind = 'changed' | 'removed' | 'out_of_order' | 'seal_missing' | 'unknown_key';

export interface AuditProblem {
  kind: AuditProblemKind;
  /** The audit row concerned (for seal_missing, the row after the gap). */
  auditId: string | null;
  /** The seal's place in the chain, when the row is sealed. */
  seq: number | null;
  message: string;
}

export interface AuditVerification {
  ok: boolean;
  /** Seals checked, from the first. */
  sealed: number;
  /** Rows not sealed yet (written since the sealer's last run; it seals them within a minute). */
  pending: number;
  /** The first problem in the chain's order; null when all holds. */
  problem: AuditProblem | null;
}

const PAGE = 5000;

/** Walks the sealer's runs alongside the seals: the run that wrote a seal says which key sealed it. */
function runWalker(db: Executor) {
  let buffer: SealRunRow[] = [];
  let position = 0;
  let current: SealRunRow | null = null;
  return {
    async runOf(seq: number): Promise<SealRunRow | null> {
      while (!current || current.lastSeq < seq) {
        if (position >= buffer.length) {
          buffer = await sealRuns(db, current?.lastSeq ?? 0, PAGE);
          position = 0;
          if (buffer.length === 0) return null;
        }
        current = buffer[position++]!;
      }
      return current.firstSeq <= seq ? current : null;
    },
  };
}

export async function verifyAuditTrail(db: Executor, keyring: ServiceKeyring): Promise<AuditVerification> {
  let previousHash = GENESIS_HASH;
  let expectedSeq = 1;
  const runs = runWalker(db);
  const fail = async (problem: AuditProblem): Promise<AuditVerification> => ({ ok: false, sealed: expectedSeq - 1, pending: await countUnsealed(db), problem });

  for (let afterSeq = 0; ; ) {
    const page = await sealsWithRows(db, afterSeq, PAGE);
    if (page.length === 0) break;
    for (const seal of page) {
      const seq = Number(seal.seq);
      if (seq !== expectedSeq) {
        return fail({ kind: 'seal_missing', auditId: seal.auditId, seq, message: `seals ${expectedSeq} to ${seq - 1} are missing before the seal of row ${seal.auditId}: the chain was cut` });
      }
      const run = await runs.runOf(seq);
      if (!run) return fail({ kind: 'seal_missing', auditId: seal.auditId, seq, message: `the seal ${seq} of row ${seal.auditId} belongs to no run of the sealer` });
      if (!keyring.byId(run.keyId)) {
        return fail({ kind: 'unknown_key', auditId: seal.auditId, seq, message: `seal ${seq} was made with key ${run.keyId}, which the key file does not hold: it cannot be checked` });
      }
      if (!seal.present) {
        return fail({ kind: 'removed', auditId: seal.auditId, seq, message: `row ${seal.auditId} (seal ${seq}) was removed from the audit trail` });
      }
      const hash = nextChainHash(keyring.derive('audit-seal', run.keyId), previousHash, seal);
      if (hash !== seal.chainHash) {
        return fail({
          kind: 'changed',
          auditId: seal.auditId,
          seq,
          message: `row ${seal.auditId} (seal ${seq}, ${seal.action} of ${seal.entityType} ${seal.entityId}) is not as it was sealed: it was changed`,
        });
      }
      previousHash = seal.chainHash;
      expectedSeq = seq + 1;
    }
    afterSeq = Number(page.at(-1)!.seq);
  }

  const latest = await lastRun(db);
  if (latest && latest.lastSeq !== expectedSeq - 1) {
    return fail({ kind: 'seal_missing', auditId: null, seq: expectedSeq, message: `the sealer wrote seals up to ${latest.lastSeq}, and the chain ends at ${expectedSeq - 1}: its last seals were removed` });
  }
  // The last run's watermark: every row written by an older transaction must be in the chain.
  if (latest) {
    const bounds = await snapshotBounds(db);
    const stray = await firstRowOutOfOrder(db, latest.watermark, bounds.xmax);
    if (stray) {
      return fail({
        kind: 'out_of_order',
        auditId: stray.id,
        seq: null,
        message: `row ${stray.id} (${stray.action}, at ${stray.at}) is not in the chain although it was written before rows sealed later: it was inserted out of order`,
      });
    }
  }
  return { ok: true, sealed: expectedSeq - 1, pending: await countUnsealed(db), problem: null };
}
