import PDFDocument from 'pdfkit';
import { fontBytes } from '../src/pdf/font.js';
import { createHash } from 'node:crypto';
import { renderBatchPdfTo, type BatchDocumentLine } from '../reports/batchStatement.js';
import { limitHeapGrowth } from '../src/workers/heap.js';

// Renders one PDF in a process of its own and reports the seconds and the peak RSS, so that the
// memory of one size does not carry over to the next. Usage: pdfWorker <service|bare> <lines>

export function* lines(count: number): Generator<BatchDocumentLine> {
  for (let index = 0; index < count; index++) yield {
    lineNo: index + 1,
    claimId: `00000000-0000-7000-8000-${String(index).padStart(12, '0')}`,
    externalRef: `JG001-2025-${String(index).padStart(6, '0')}`,
    childName: index % 3 === 0 ? '欧阳小明' : '张红',
    idNumberMasked: '511702********0029',
    category: 'hearing',
    service: 'training',
    deviceKind: null,
    period: '2025-01至2025-03',
    grossCost: '5400.00',
    deductionsTotal: '300.00',
    remainder: '5100.00',
    approvedAmount: '5100.00',
  };
}

/** The same cells in the same font, as a plain pdfkit loop: the floor the service is held to. */
export async function barePdf(rows: string[][]): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margin: 0 });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.registerFont('regular', fontBytes('regular'));
  doc.font('regular').fontSize(8);
  const widths = [30, 96, 54, 100, 44, 96, 92, 62, 62, 62, 66];
  let y = 40;
  for (const row of rows) {
    if (y > 540) {
      doc.addPage();
      y = 40;
    }
    let x = 36;
    row.forEach((cell, index) => {
      doc.text(cell, x, y, { width: widths[index]! - 6, lineBreak: false });
      x += widths[index]!;
    });
    y += 15;
  }
  doc.end();
  return done;
}

async function main() {
  const [kind, countText] = process.argv.slice(2);
  const count = Number(countText);
  const started = performance.now();
  if (kind === 'bare') {
    await barePdf([...lines(count)].map((line) => [String(line.lineNo), line.externalRef, line.childName, line.idNumberMasked, '听力', '康复训练', line.period, line.grossCost, line.deductionsTotal, line.remainder, line.approvedAmount]));
  } else {
    // As the service runs (src/main.ts).
    limitHeapGrowth();
    // The lines come from a generator and the bytes go to a hash, as a stream to storage would.
    const hash = createHash('sha256');
    await renderBatchPdfTo({
      number: '511702-2025-0001', regionCode: '511702', issuer: '达州市通川区残疾人联合会', payingRegion: '四川省达州市通川区（511702）', financeOffice: '达州市通川区财政局',
      payee: { code: 'JG-001', name: '阳光儿童康复中心', bank: '中国农业银行', accountName: '阳光儿童康复中心', accountNumber: '6228480000000000000' },
      approvedThrough: '2025-12-31', issuedAt: new Date(), claimCount: count, total: '1.00', totalInWords: '壹元整', sha256: 'a'.repeat(64), builtBy: '王审核', issuedBy: '钱复核', lines: lines(count),
    }, (chunk) => hash.update(chunk));
  }
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(JSON.stringify({ seconds, maxRssKiB: process.resourceUsage().maxRSS }) + '\n');
}

if (process.argv[1]?.endsWith('pdfWorker.ts')) await main();
