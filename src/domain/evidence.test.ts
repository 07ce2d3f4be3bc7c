import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attachmentFileName, missingEvidence, sniffAttachmentType } from './evidence.js';

const bytes = (...values: number[]) => Uint8Array.from(values);
const text = (value: string) => new TextEncoder().encode(value);

describe('a file is told by its content', () => {
  it.each([
    ['a PDF', text('%PDF-1.7\n%âãÏÓ\n'), 'application/pdf'],
    ['a JPEG', bytes(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10), 'image/jpeg'],
    ['a PNG', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00), 'image/png'],
    ['a Word file renamed .pdf', bytes(0x50, 0x4b, 0x03, 0x04, 0x14, 0x00), null],
    ['an HTML page', text('<html><script>alert(1)</script>'), null],
    ['"%PDF" further in', text(' %PDF-1.7'), null],
    ['a PNG signature cut short', bytes(0x89, 0x50, 0x4e, 0x47), null],
    ['an empty file', bytes(), null],
  ])('%s → %s', (_name, content, type) => expect(sniffAttachmentType(content)).toBe(type));

  it('random bytes that do not start with a signature are refused', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (content) => {
        const type = sniffAttachmentType(content);
        const signed = content[0] === 0x25 || content[0] === 0xff || content[0] === 0x89;
        return signed || type === null;
      }),
    );
  });
});

describe('the name a file is kept under', () => {
  it.each([
    ['考勤表.pdf', 'attendance', 'application/pdf', '考勤表.pdf'],
    ['C:\\扫描\\发票.JPG', 'invoice', 'image/jpeg', '发票.JPG'],
    ['../../etc/passwd', 'other', 'application/pdf', 'passwd.pdf'],
    ['考勤.png', 'attendance', 'application/pdf', '考勤.png.pdf'],
    ['照片.jpeg', 'other', 'image/jpeg', '照片.jpeg'],
    [undefined, 'discharge_summary', 'application/pdf', '出院小结.pdf'],
    ['  \u0000\u0007 ', 'invoice', 'image/png', '发票.png'],
  ] as const)('%s (%s, %s) → %s', (sent, kind, type, kept) => expect(attachmentFileName(sent, kind, type)).toBe(kept));

  it('is never longer than 120 characters and its extension', () => {
    expect(attachmentFileName('长'.repeat(500), 'other', 'application/pdf')).toBe(`${'长'.repeat(120)}.pdf`);
  });
});

describe('the kinds a claim still lacks', () => {
  const required = { training: ['attendance', 'invoice'] as const, limb_surgery: ['discharge_summary'] as const };
  it.each([
    ['training', [], ['attendance', 'invoice']],
    ['training', ['invoice', 'other'], ['attendance']],
    ['training', ['attendance', 'invoice', 'invoice'], []],
    ['limb_surgery', ['invoice'], ['discharge_summary']],
    ['device', [], []],
  ] as const)('%s with %j lacks %j', (service, attached, missing) =>
    expect(missingEvidence({ training: [...required.training], limb_surgery: [...required.limb_surgery] }, service, attached)).toEqual(missing),
  );

  it('no setting requires nothing', () => expect(missingEvidence(null, 'training', [])).toEqual([]));
});
