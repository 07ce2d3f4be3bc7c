// Every CSV and XLSX cell the service (or its console) writes goes through here: a spreadsheet must
// read data as data. A cell that begins with =, +, -, @, a tab or a carriage return could be taken
// for a formula when a clerk opens the file (OWASP "CSV injection": =HYPERLINK(…) in an account
// name would run), so it is written with a leading ' as OWASP advises. Pure, so the console uses
// it too.

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell as a spreadsheet must show it: as written, or with a leading ' when it could start a formula. */
export function asSpreadsheetText(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** One CSV field: neutralised, then quoted when it holds a quote, a comma or a line break (RFC 4180). */
export function csvField(value: string): string {
  const text = asSpreadsheetText(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV file's text: a UTF-8 byte order mark (so that Excel reads the Chinese), CRLF lines, every field through csvField. */
export function csvText(rows: readonly (readonly string[])[]): string {
  return `\ufeff${rows.map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}
