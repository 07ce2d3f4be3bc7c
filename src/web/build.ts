import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

// Builds the web console: one JavaScript bundle and one stylesheet with their content hash in
// their names (so browsers may keep them for good), and index.html naming them. Nothing is
// fetched from the internet at run time: the bundle holds Preact, the stylesheet names the
// Chinese font the service itself serves.

const CLIENT_DIR = fileURLToPath(new URL('./client/', import.meta.url));

export async function buildWebConsole(outDir: string): Promise<{ files: string[] }> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(path.join(outDir, 'assets'), { recursive: true });
  const result = await esbuild.build({
    entryPoints: [path.join(CLIENT_DIR, 'main.tsx')],
    bundle: true,
    minify: true,
    sourcemap: 'linked',
    format: 'esm',
    target: ['chrome100', 'firefox100', 'safari15'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    entryNames: '[name]-[hash]',
    outdir: path.join(outDir, 'assets'),
    metafile: true,
    logLevel: 'warning',
    // The font is served by the service itself (web.routes.ts), not bundled.
    external: ['/assets/fonts/*'],
  });
  const outputs = Object.keys(result.metafile.outputs).map((file) => path.basename(file));
  const script = outputs.find((file) => file.endsWith('.js'));
  const stylesheet = outputs.find((file) => file.endsWith('.css'));
  if (!script || !stylesheet) throw new Error(`the console build produced no script or stylesheet: ${outputs.join(', ')}`);
  const template = await readFile(path.join(CLIENT_DIR, 'index.html'), 'utf8');
  const html = template.replace('{{script}}', `/assets/${script}`).replace('{{stylesheet}}', `/assets/${stylesheet}`);
  await writeFile(path.join(outDir, 'index.html'), html);
  return { files: ['index.html', ...outputs.map((file) => `assets/${file}`)] };
}

// Run as a script (npm run build): writes dist/console.
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const outDir = fileURLToPath(new URL('../../dist/console/', import.meta.url));
  const { files } = await buildWebConsole(outDir);
  process.stdout.write(`web console: ${files.length} files in dist/console\n`);
}
