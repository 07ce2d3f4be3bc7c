import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cyclesOf, readTree, specifiersOf } from './imports.js';

// The house's floors, checked on every run (README, "Layout"): no file of src/ imports one that
// imports it back, however far round; the browser's code takes nothing from the server but the
// pure rules of src/domain/, which import nothing of the service's; no file grows past about 400
// lines without being split by action.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const files = readTree(ROOT, 'src');
const MAX_LINES = 400;

/** Files allowed past MAX_LINES, and why. The schema is one list of tables (drizzle-kit reads it whole). */
const LONG_FILES_ALLOWED: Record<string, string> = {
  'src/db/schema.ts': 'the tables, read whole by drizzle-kit',
};

describe('the architecture of src/', () => {
  it('reads the imports it checks (a changed import syntax would make the checks below vacuous)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(specifiersOf("import type { A } from './a.js';\nimport {\n  b,\n  c,\n} from \"../b.js\";\nexport * from './c.js';\nimport './d.css';\nconst e = await import('./e.js');")).toEqual([
      './a.js',
      '../b.js',
      './c.js',
      './d.css',
      './e.js',
    ]);
    const app = files.find((file) => file.file === 'src/app.ts')!;
    expect(app.imports.map((item) => item.resolved)).toContain('src/claims/claims.service.ts');
  });

  it('has no circle of imports among its files', () => {
    expect(cyclesOf(files).map((cycle) => cycle.join(' → '))).toEqual([]);
  });

  it('the console (src/web/client/) imports only itself, src/domain/ and packages', () => {
    const outside = files
      .filter((file) => file.file.startsWith('src/web/client/'))
      .flatMap((file) => file.imports.filter((item) => item.resolved && !/^src\/(web\/client|domain)\//.test(item.resolved)).map((item) => `${file.file} imports ${item.specifier}`));
    expect(outside).toEqual([]);
  });

  it('the pure rules (src/domain/) import only each other and packages', () => {
    const outside = files
      .filter((file) => file.file.startsWith('src/domain/'))
      .flatMap((file) => file.imports.filter((item) => item.resolved && !item.resolved.startsWith('src/domain/')).map((item) => `${file.file} imports ${item.specifier}`));
    expect(outside).toEqual([]);
  });

  it('nothing the console reaches, however far, needs Node (node: modules are not in a browser)', () => {
    const byName = new Map(files.map((file) => [file.file, file]));
    const reached = new Set(files.filter((file) => file.file.startsWith('src/web/client/')).map((file) => file.file));
    for (const name of reached) for (const item of byName.get(name)?.imports ?? []) if (item.resolved && byName.has(item.resolved)) reached.add(item.resolved);
    const needsNode = [...reached].flatMap((name) => byName.get(name)!.imports.filter((item) => item.specifier.startsWith('node:')).map((item) => `${name} imports ${item.specifier}`));
    expect(needsNode).toEqual([]);
  });

  it(`no file of src/ is longer than ${MAX_LINES} lines, except the schema`, () => {
    const long = files.filter((file) => file.lines > MAX_LINES && !(file.file in LONG_FILES_ALLOWED)).map((file) => `${file.file}: ${file.lines} lines`);
    expect(long).toEqual([]);
  });

  it('every file allowed past the limit is still there and still long (an exception outlives no split)', () => {
    const stale = Object.keys(LONG_FILES_ALLOWED).filter((name) => (files.find((file) => file.file === name)?.lines ?? 0) <= MAX_LINES);
    expect(stale).toEqual([]);
  });
});
