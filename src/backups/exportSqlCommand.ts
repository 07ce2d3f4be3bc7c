import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { CommandRefused, runCommand } from '../command.js';
import { loadConfig } from '../config.js';
import { MIGRATIONS_FOLDER, type Database } from '../db/client.js';
import { lockDataDir } from '../db/dataDirLock.js';
import * as schema from '../db/schema.js';
import { exportSql } from './exportSql.js';
import { openArchive, requireKeysOf } from './restore.js';
import { fieldCipher } from '../keys/fieldCipher.js';
import { loadKeyFile } from '../keys/serviceKeys.js';
import { sealPlaintextPersonalData } from '../personalData.js';

// npm run export-sql -- <file.sql> [--from <backup.tar.gz>]: the embedded database (DATA_DIR, with
// the service stopped, or a backup file) as SQL that psql loads into an empty PostgreSQL 15+.
// The source is copied into memory and brought to this version's schema there, its personal data
// sealed with the key of DATA_KEY_FILE (which it needs); the data folder and the backup are only read. Exit 0 written; 1 refused; 2 configuration; 3 the folder is in use.

async function sourceBytes(from: string | undefined, dataDir: string): Promise<Buffer> {
  if (from) {
    if (!existsSync(from)) throw new CommandRefused(`no file ${from}`);
    return readFileSync(from);
  }
  if (!existsSync(dataDir)) throw new CommandRefused(`no data folder ${dataDir}`);
  const lock = await lockDataDir(dataDir, 'an export to SQL');
  try {
    const database = await PGlite.create(lock.dataDir);
    try {
      return Buffer.from(await (await database.dumpDataDir('none')).arrayBuffer());
    } finally {
      await database.close();
    }
  } finally {
    await lock.release();
  }
}

async function main() {
  const args = process.argv.slice(2);
  const fromIndex = args.indexOf('--from');
  const from = fromIndex >= 0 ? args[fromIndex + 1] : undefined;
  const output = args.find((arg, index) => !arg.startsWith('--') && index !== fromIndex + 1);
  if (!output || (fromIndex >= 0 && !from)) {
    process.stderr.write('usage: npm run export-sql -- <file.sql> [--from <backup.tar.gz>]   (without --from: DATA_DIR, default ./data, with the service stopped)\n');
    process.exit(1);
  }
  const config = loadConfig();
  // The key the personal data was sealed with: an export holds it sealed, as the data folder does,
  // and what an older version kept in clear is sealed before it is written out.
  const { keyring } = loadKeyFile({ path: config.dataKeyFile, create: false, notInside: [config.dataDir, config.backupDir] });
  const copy = await openArchive(await sourceBytes(from, config.dataDir));
  try {
    const db = drizzle({ client: copy, schema });
    await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
    await requireKeysOf(copy, keyring);
    await sealPlaintextPersonalData(db as unknown as Database, fieldCipher(keyring));
    const file = createWriteStream(output, { encoding: 'utf8' });
    const written = await exportSql(copy, async (chunk) => {
      if (!file.write(chunk)) await once(file, 'drain');
    }, new Date());
    file.end();
    await once(file, 'finish');
    process.stdout.write(`wrote ${output}: ${written.tables} tables, ${written.rows} rows\nload it into an empty PostgreSQL 15+ database with: psql -v ON_ERROR_STOP=1 -d <database> -f ${output}\nthen start the service with DATABASE_URL naming that database\n`);
  } finally {
    await copy.close();
  }
}

runCommand('export', main);
