import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The browser tests drive the built service (dist/, with the console in dist/console) in Debian's
// Chromium. Both builds run here, as `npm run build` runs them.
export default function setup() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`the browser tests need Debian's Chromium at ${CHROMIUM}: npm test installs it when run as root (.ci/system-packages.sh), or apt-get install chromium`);
  }
  const root = fileURLToPath(new URL('../..', import.meta.url));
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, ['--import', 'tsx', 'src/web/build.ts'], { cwd: root, stdio: 'inherit' });
}

export const CHROMIUM = '/usr/bin/chromium';
