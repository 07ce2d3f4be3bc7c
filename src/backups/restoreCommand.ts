import { runCommand } from '../command.js';
import { loadConfig } from '../config.js';
import { restoreArchive } from './restore.js';

// npm run restore -- <backup.tar.gz> [--replace]: restores a backup into DATA_DIR (default ./data),
// with the service stopped. Exit 0 restored; 1 refused (the reason is printed); 2 configuration;
// 3 the data folder is in use.

async function main() {
  const args = process.argv.slice(2);
  const archive = args.find((arg) => !arg.startsWith('--'));
  const unknown = args.filter((arg) => arg.startsWith('--') && arg !== '--replace');
  if (!archive || unknown.length > 0) {
    process.stderr.write('usage: npm run restore -- <backup.tar.gz> [--replace]   (DATA_DIR names the folder; default ./data)\n');
    process.exit(1);
  }
  const config = loadConfig();
  if (config.databaseUrl) {
    process.stderr.write('restore refused: DATABASE_URL is set; a backup of the embedded database restores into DATA_DIR (on PostgreSQL use pg_restore or psql)\n');
    process.exit(1);
  }
  const result = await restoreArchive({ archive, dataDir: config.dataDir, replace: args.includes('--replace'), now: new Date() });
  const { summary } = result;
  process.stdout.write(
    [
      `restored ${archive} into ${result.dataDir}`,
      result.movedTo ? `the database that was there is kept in ${result.movedTo}` : null,
      `it holds ${summary.users} users, ${summary.children} children, ${summary.claims} claims, ${summary.batches} batches, ${summary.attachments} evidence files; last change ${summary.lastChange ?? 'none'}`,
      'start the service with npm start',
    ]
      .filter(Boolean)
      .join('\n') + '\n',
  );
}

runCommand('restore', main);
