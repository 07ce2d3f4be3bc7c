import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// The data folder, the backups and the key are the county's alone (security.md §5): folders 0700,
// files 0600. PGlite writes its files 0666 whatever the process's umask (968 of 1,147 files of a
// fresh folder), so the folder itself is closed to others, and its files are made private when the
// service opens it. Windows keeps access in ACLs: there these calls change little, and the folder's
// place decides who may read it.

export const PRIVATE_FOLDER_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates a folder for the service's eyes only, or closes an existing one to others. */
export function privateFolder(path: string): void {
  mkdirSync(path, { recursive: true, mode: PRIVATE_FOLDER_MODE });
  chmodSync(path, PRIVATE_FOLDER_MODE);
}

/** Closes a folder and everything in it to others: folders 0700, files 0600 (links are left alone). */
export function makePrivate(path: string): void {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) return;
  if (stat.isDirectory()) {
    chmodSync(path, PRIVATE_FOLDER_MODE);
    for (const name of readdirSync(path)) makePrivate(join(path, name));
  } else if ((stat.mode & 0o777) !== PRIVATE_FILE_MODE) {
    chmodSync(path, PRIVATE_FILE_MODE);
  }
}
