import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// What the set-up step of `npm test` and .ci/run decides, on a machine pointed at an empty folder:
// PATH and the binary locations name places where nothing is, and apt-get is a stand-in that
// writes down how it was called (and, asked to install, puts the binaries where they belong).

const SCRIPT = fileURLToPath(new URL('../../.ci/system-packages.sh', import.meta.url));

let folder: string;
/** Where the commands are looked for: nothing there until a test puts it there. */
let bin: string;
/** Where the stand-in apt-get is, for the runs that may find it. */
let aptBin: string;
let aptLog: string;

beforeEach(() => {
  folder = mkdtempSync(path.join(tmpdir(), 'system-packages-'));
  bin = path.join(folder, 'bin');
  aptBin = path.join(folder, 'apt-bin');
  mkdirSync(bin);
  mkdirSync(aptBin);
  aptLog = path.join(folder, 'apt-get.log');
  fakeAptGet();
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

function executable(file: string, body = 'exit 0') {
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
}

/** Where each program the step looks for belongs: the two by their locations, the others on PATH. */
function programs(): Record<string, string> {
  return {
    initdb: path.join(folder, 'initdb'),
    chromium: path.join(folder, 'chromium'),
    pdftotext: path.join(bin, 'pdftotext'),
    pdftoppm: path.join(bin, 'pdftoppm'),
    openssl: path.join(bin, 'openssl'),
  };
}

/** Every program in its place, except those named. */
function installedAllBut(...absent: string[]) {
  for (const [name, file] of Object.entries(programs())) if (!absent.includes(name)) executable(file);
}

/** The stand-in apt-get: logs its frontend and arguments; `install` creates what the packages hold. */
function fakeAptGet() {
  const creates = Object.values(programs());
  executable(
    path.join(aptBin, 'apt-get'),
    [
      `echo "DEBIAN_FRONTEND=$DEBIAN_FRONTEND apt-get $*" >> ${aptLog}`,
      `if [ "$1" = install ]; then for file in ${creates.join(' ')}; do printf '#!/bin/sh\\n' > "$file"; /bin/chmod 755 "$file"; done; fi`,
    ].join('\n'),
  );
}

function run(options: { root: boolean; dryRun: boolean; path?: string }) {
  const result = spawnSync('/bin/bash', [SCRIPT], {
    encoding: 'utf8',
    env: {
      PATH: options.path ?? bin,
      SYSTEM_PACKAGES_INITDB: path.join(folder, 'initdb'),
      SYSTEM_PACKAGES_CHROMIUM: path.join(folder, 'chromium'),
      SYSTEM_PACKAGES_ROOT: options.root ? 'yes' : 'no',
      SYSTEM_PACKAGES_DRY_RUN: options.dryRun ? 'yes' : 'no',
    },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, aptCalls: existsSync(aptLog) ? readFileSync(aptLog, 'utf8').trim().split('\n') : [] };
}

describe('the set-up step of npm test (.ci/system-packages.sh)', () => {
  it('as root with everything missing: says in one line what it installs and would run apt-get for all four', () => {
    const result = run({ root: true, dryRun: true, path: `${bin}:${aptBin}` });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      '== installing postgresql poppler-utils chromium openssl for the tests (apt-get, as root)\n' +
        'dry run: apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql poppler-utils chromium openssl\n',
    );
    expect(result.aptCalls).toEqual([]);
  });

  it('as root, not a dry run: apt-get update, then one non-interactive install of what is missing', () => {
    const result = run({ root: true, dryRun: false, path: `${bin}:${aptBin}` });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('== installing postgresql poppler-utils chromium openssl for the tests (apt-get, as root)\n');
    expect(result.aptCalls).toEqual([
      'DEBIAN_FRONTEND= apt-get update -qq',
      'DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql poppler-utils chromium openssl -qq',
    ]);
    // Installed now: the next run decides nothing.
    expect(run({ root: true, dryRun: false, path: `${bin}:${aptBin}` })).toEqual({ status: 0, stdout: '', stderr: '', aptCalls: result.aptCalls });
  });

  it('as another user with everything missing: stops (non-zero) with the exact command, installing nothing', () => {
    const result = run({ root: false, dryRun: false, path: `${bin}:${aptBin}` });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'npm test needs system packages that are not installed: postgresql poppler-utils chromium openssl.\n' +
        'Install them as root, then run npm test again:\n' +
        '  sudo apt-get update && sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql poppler-utils chromium openssl\n',
    );
    expect(result.aptCalls).toEqual([]);
  });

  it.each([
    ['pdftoppm', 'poppler-utils'],
    ['openssl', 'openssl'],
  ])('names only what is missing: %s alone missing is %s', (program, installs) => {
    installedAllBut(program);
    const result = run({ root: false, dryRun: true });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`not installed: ${installs}.\n`);
    expect(result.stderr).toContain(`--no-install-recommends ${installs}\n`);
  });

  it('decides nothing when all is present, as root or not: silent, exit 0, no apt-get', () => {
    installedAllBut();
    for (const root of [true, false]) {
      expect(run({ root, dryRun: false, path: `${bin}:${aptBin}` })).toEqual({ status: 0, stdout: '', stderr: '', aptCalls: [] });
    }
  });

  it('a file that is there but not executable counts as missing', () => {
    installedAllBut('chromium');
    writeFileSync(path.join(folder, 'chromium'), 'not a program');
    expect(run({ root: false, dryRun: true }).stderr).toContain('not installed: chromium.\n');
  });
});
