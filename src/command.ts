import { ConfigError } from './config.js';
import { DataDirLockedError } from './db/dataDirLock.js';
import { KeyFileError } from './keys/serviceKeys.js';

// The commands people run (npm run restore, export-sql, demo) end the same way: 0 done; 1 refused,
// with the reason; 2 a wrong setting or key file; 3 the data folder is in use by another process.

/** An expected refusal: its message is the whole story, no stack trace. */
export class CommandRefused extends Error {
  override name = 'CommandRefused';
}

export function runCommand(name: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof ConfigError || error instanceof KeyFileError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    if (error instanceof DataDirLockedError) {
      process.stderr.write(`${name} refused: ${error.message}\n`);
      process.exit(3);
    }
    const text = error instanceof CommandRefused ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`${name} refused: ${text}\n`);
    process.exit(1);
  });
}
