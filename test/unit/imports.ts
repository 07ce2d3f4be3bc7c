import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

// The import graph of a source tree, read from the text of its files: every `import … from`,
// `export … from`, side-effect `import '…'` and dynamic `import('…')`, type-only imports included
// (a circle of types is still a circle of modules that cannot be read apart).

export interface SourceFile {
  /** Path from the tree's root, with forward slashes: `src/claims/claims.service.ts`. */
  file: string;
  lines: number;
  /** Relative imports resolved to files of the tree, and bare ones (packages, node: modules) as written. */
  imports: { specifier: string; resolved: string | null }[];
}

const STATIC = /^[ \t]*(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/gm;
const SIDE_EFFECT = /^[ \t]*import\s*['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

export function specifiersOf(text: string): string[] {
  const found: string[] = [];
  for (const pattern of [STATIC, SIDE_EFFECT, DYNAMIC]) for (const match of text.matchAll(pattern)) found.push(match[1]!);
  return found;
}

function listFiles(root: string, folder: string): string[] {
  return readdirSync(path.join(root, folder)).flatMap((name) => {
    const relative = `${folder}/${name}`;
    if (statSync(path.join(root, relative)).isDirectory()) return listFiles(root, relative);
    return /\.(ts|tsx|mts|mjs)$/.test(name) ? [relative] : [];
  });
}

/** A relative specifier as the file it names: `./x.js` is x.ts or x.tsx (NodeNext and the bundler both write .js). */
function resolve(root: string, from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  const candidates = [target, target.replace(/\.js$/, '.ts'), target.replace(/\.js$/, '.tsx'), `${target}.ts`, `${target}.tsx`, `${target}/index.ts`];
  return candidates.find((candidate) => existsSync(path.join(root, candidate)) && statSync(path.join(root, candidate)).isFile()) ?? target;
}

export function readTree(root: string, folder: string): SourceFile[] {
  return listFiles(root, folder).map((file) => {
    const text = readFileSync(path.join(root, file), 'utf8');
    return {
      file,
      lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0),
      imports: specifiersOf(text).map((specifier) => ({ specifier, resolved: resolve(root, file, specifier) })),
    };
  });
}

/** Every circle of imports, each as the files around it (first file repeated at the end); none is []. */
export function cyclesOf(files: SourceFile[]): string[][] {
  const edges = new Map(files.map((file) => [file.file, [...new Set(file.imports.flatMap((item) => (item.resolved ? [item.resolved] : [])))]]));
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of edges.get(file) ?? []) {
      if (!edges.has(next)) continue;
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of [...edges.keys()].sort()) if (!state.has(file)) visit(file);
  return cycles;
}
