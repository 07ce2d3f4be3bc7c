import { runCommand } from '../command.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/client.js';
import { resealPersonalData } from '../personalData.js';
import { fieldCipher } from './fieldCipher.js';
import { addKeyToFile, keyringOf, loadKeyFile, writeKeyFile } from './serviceKeys.js';

// npm run rotate-key (security.md §5): a fresh key is added to the key file (DATA_KEY_FILE) and
// made current, then every sealed value — children's ID numbers, phones and certificate numbers,
// account numbers, second-factor secrets (src/personalData.ts lists them) — is opened with the key it names and sealed again under the new key, and every
// lookup hash is made again, all in one transaction. If that fails, the file is written back as it
// was and nothing changed. The older keys stay in the file: the audit trail's seals made with them
// are still checked with them. Run it with the service stopped: on the embedded database the data
// folder's lock refuses it while the service runs (exit 3); on PostgreSQL stop every instance
// first, since a running instance would go on sealing and hashing with the key it loaded.

async function main() {
  const config = loadConfig();
  const { path } = loadKeyFile({ path: config.dataKeyFile, create: false, notInside: [...(config.databaseUrl ? [] : [config.dataDir]), config.backupDir] });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 });
  try {
    const { before, after } = addKeyToFile(path);
    let resealed;
    try {
      resealed = await resealPersonalData(database.db, fieldCipher(keyringOf(after)));
    } catch (error) {
      writeKeyFile(path, before);
      throw error;
    }
    process.stdout.write(
      `key rotated: ${after.at(-1)!.id} is the current key in ${path} (the ${before.length} older one(s) stay for what they sealed before); ` +
        `re-sealed ${resealed.children} children's ID numbers, phones and certificate numbers, ${resealed.accounts} account numbers, ${resealed.secondFactors} second-factor secrets and the personal data of ${resealed.protection} protection cases, visits and reports. Back the key file up again now.\n`,
    );
  } finally {
    await database.close();
  }
}

runCommand('rotate-key', main);
