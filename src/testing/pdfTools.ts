import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Reading PDFs back in tests with poppler-utils (pdftotext, pdfinfo, pdftoppm), as a person's
// PDF viewer would. '.ci/run' installs poppler-utils; without it these throw and the test fails.

function withFile<T>(bytes: Buffer, use: (file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'rehab-pdf-'));
  try {
    const file = join(dir, 'document.pdf');
    writeFileSync(file, bytes);
    return use(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pdfText(bytes: Buffer, pages?: { first: number; last: number }): string {
  return withFile(bytes, (file) => {
    const range = pages ? ['-f', String(pages.first), '-l', String(pages.last)] : [];
    return execFileSync('pdftotext', ['-layout', ...range, file, '-'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  });
}

export function pdfPageCount(bytes: Buffer): number {
  return withFile(bytes, (file) => {
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
  });
}

export function pdfFonts(bytes: Buffer): string {
  return withFile(bytes, (file) => execFileSync('pdffonts', [file], { encoding: 'utf8' }));
}

/** Renders one page to PNG and returns its bytes. */
export function pdfPageToPng(bytes: Buffer, page: number, resolution = 50): Buffer {
  return withFile(bytes, (file) => {
    const root = file.replace(/\.pdf$/, '-page');
    execFileSync('pdftoppm', ['-png', '-r', String(resolution), '-f', String(page), '-l', String(page), '-singlefile', file, root]);
    return readFileSync(`${root}.png`);
  });
}

/** Every word of a page (the first unless told) with its box in points (pdftotext -bbox), as a viewer places it. */
export function pdfWords(bytes: Buffer, page = 1): { text: string; xMin: number; xMax: number; yMin: number }[] {
  return withFile(bytes, (file) => {
    const html = execFileSync('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' });
    return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g)].map((match) => ({
      text: match[4]!.replaceAll('&amp;', '&'),
      xMin: Number(match[1]),
      xMax: Number(match[3]),
      yMin: Number(match[2]),
    }));
  });
}
