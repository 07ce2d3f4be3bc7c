import { deflateRawSync } from 'node:zlib';

// A minimal zip writer for tests: enough to make XLSX files that exceljs would not write (one that
// expands to millions of rows, one whose parts lie about their size) without committing them.

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export interface ZipPart {
  name: string;
  data: Buffer;
  /** Declare this uncompressed size instead of the true one (a lying archive). */
  declaredSize?: number;
}

/** A fixed-size record of little-endian fields: [offset, bytes (2 or 4), value]. */
function record(length: number, fields: readonly (readonly [offset: number, bytes: 2 | 4, value: number])[]): Buffer {
  const buffer = Buffer.alloc(length);
  for (const [at, bytes, value] of fields) {
    if (bytes === 2) buffer.writeUInt16LE(value, at);
    else buffer.writeUInt32LE(value, at);
  }
  return buffer;
}

export function zip(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name, 'utf8');
    const compressed = deflateRawSync(part.data, { level: 6 });
    const crc = crc32(part.data);
    const size = part.declaredSize ?? part.data.length;
    // Version 2.0, flag 0x0800 (names in UTF-8), method 8 (deflate).
    const local = record(30, [[0, 4, 0x04034b50], [4, 2, 20], [6, 2, 0x0800], [8, 2, 8], [14, 4, crc], [18, 4, compressed.length], [22, 4, size], [26, 2, name.length]]);
    locals.push(local, name, compressed);
    const central = record(46, [[0, 4, 0x02014b50], [4, 2, 20], [6, 2, 20], [8, 2, 0x0800], [10, 2, 8], [16, 4, crc], [20, 4, compressed.length], [24, 4, size], [28, 2, name.length], [42, 4, offset]]);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = record(22, [[0, 4, 0x06054b50], [8, 2, parts.length], [10, 2, parts.length], [12, 4, directory.length], [16, 4, offset]]);
  return Buffer.concat([...locals, directory, end]);
}

/**
 * An XLSX of one sheet: a header row, then `rows` rows made by `row(n)` (cells as inline strings).
 * `unnumbered` leaves out the optional row and cell references, so that identical rows compress
 * as a hostile file's do (hundreds of times).
 */
export function xlsx(header: string[], rows: number, row: (index: number) => string[], options: { declaredSheetSize?: number; unnumbered?: boolean } = {}): Buffer {
  const cell = (column: number, rowNumber: number, value: string) =>
    options.unnumbered ? `<c t="inlineStr"><is><t>${value}</t></is></c>` : `<c r="${String.fromCharCode(65 + column)}${rowNumber}" t="inlineStr"><is><t>${value}</t></is></c>`;
  const rowOf = (rowNumber: number, cells: string) => (options.unnumbered ? `<row>${cells}</row>` : `<row r="${rowNumber}">${cells}</row>`);
  const lines: string[] = [rowOf(1, header.map((value, column) => cell(column, 1, value)).join(''))];
  for (let index = 0; index < rows; index++) lines.push(rowOf(index + 2, row(index).map((value, column) => cell(column, index + 2, value)).join('')));
  const sheet = Buffer.from(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${lines.join('')}</sheetData></worksheet>`,
  );
  return zip([
    {
      name: '[Content_Types].xml',
      data: Buffer.from(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
      ),
    },
    {
      name: '_rels/.rels',
      data: Buffer.from(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
      ),
    },
    {
      name: 'xl/workbook.xml',
      data: Buffer.from(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
      ),
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: Buffer.from(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
      ),
    },
    { name: 'xl/worksheets/sheet1.xml', data: sheet, declaredSize: options.declaredSheetSize },
  ]);
}
