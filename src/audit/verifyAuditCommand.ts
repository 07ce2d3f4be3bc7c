import { runCommand } from '../command.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/client.js';
import { loadKeyFile } from '../keys/serviceKeys.js';
import { verifyAuditTrail } from './auditVerify.js';

// npm run verify-audit: recomputes the sealed audit trail's hash chain with the key of
// DATA_KEY_FILE and names the first row that was changed, removed or inserted out of order.
// On PostgreSQL (DATABASE_URL) it runs beside the service; the embedded database (DATA_DIR) is
// checked with the service stopped, as only one process may open it (the auditor's
// GET /api/v1/audit/verify checks it while it serves). Exit 0 when all holds; 1 with the
// first problem; 2 configuration; 3 the data folder is in use.

async function main() {
  const config = loadConfig();
  const { keyring, path } = loadKeyFile({ path: config.dataKeyFile, create: false });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 });
  try {
    const result = await verifyAuditTrail(database.db, keyring);
    const pending = result.pending > 0 ? `; ${result.pending} row(s) written since the sealer's last run are not sealed yet (the running service seals them within a minute)` : '';
    if (result.ok) {
      process.stdout.write(`audit trail verified with the key of ${path}: ${result.sealed} sealed row(s), every one as it was sealed, none removed, none inserted out of order${pending}\n`);
      return;
    }
    process.stderr.write(`audit trail NOT intact: ${result.problem!.message}\n(${result.sealed} seal(s) before it hold${pending})\n`);
    process.exitCode = 1;
  } finally {
    await database.close();
  }
}

runCommand('verify-audit', main);
