/**
 * CSV in RFC 4180 form (https://www.rfc-editor.org/rfc/rfc4180): fields holding a comma, a double
 * quote, CR or LF are quoted, quotes inside are doubled, records end with CRLF.
 *
 * Exports are opened in spreadsheets, which run a cell starting with `=`, `+`, `-`, `@`, tab or CR
 * as a formula (CSV injection, https://owasp.org/www-community/attacks/CSV_Injection). Text cells
 * starting with one of those get a leading `'`, which spreadsheets treat as "this is text". Numbers
 * are written as numbers (a negative number stays `-3`, it is not text a formula could hide in).
 */

export type CsvCell = string | number | boolean | null | undefined;

const formulaTriggers = new Set(['=', '+', '-', '@', '\t', '\r']);

/** The cell as a spreadsheet should see it: text that would run as a formula is prefixed with `'`. */
export function neutraliseFormula(text: string): string {
  return text.length > 0 && formulaTriggers.has(text[0]!) ? `'${text}` : text;
}

function cellText(cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  if (typeof cell === 'boolean') return cell ? 'true' : 'false';
  return neutraliseFormula(cell);
}

function quoteField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV document: a header row then one row per record, every line ending in CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header.map((name) => quoteField(cellText(name)))];
  for (const row of rows) lines.push(row.map((cell) => quoteField(cellText(cell))));
  return lines.map((line) => `${line.join(',')}\r\n`).join('');
}

export class CsvParseError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`CSV line ${line}: ${message}`);
    this.name = 'CsvParseError';
  }
}

/**
 * Parses RFC 4180 text into rows of fields (strings, exactly as written: the formula prefix is not
 * removed). Accepts CRLF or bare LF line ends; a final line end is optional.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let line = 1;
  let index = 0;
  let fieldStarted = false;
  const endField = () => {
    row.push(field);
    field = '';
    fieldStarted = false;
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
    line += 1;
  };
  while (index < text.length) {
    const character = text[index]!;
    if (character === '"' && !fieldStarted && field === '') {
      const start = line;
      index += 1;
      for (;;) {
        if (index >= text.length) throw new CsvParseError('quoted field is never closed', start);
        const inner = text[index]!;
        if (inner === '"') {
          if (text[index + 1] === '"') {
            field += '"';
            index += 2;
            continue;
          }
          index += 1;
          break;
        }
        if (inner === '\n') line += 1;
        field += inner;
        index += 1;
      }
      fieldStarted = true;
      const next = text[index];
      if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n') {
        throw new CsvParseError('unexpected character after a closing quote', line);
      }
      continue;
    }
    if (character === ',') {
      endField();
      index += 1;
    } else if (character === '\r' && text[index + 1] === '\n') {
      endRow();
      index += 2;
    } else if (character === '\n') {
      endRow();
      index += 1;
    } else if (character === '"') {
      throw new CsvParseError('a quote inside an unquoted field', line);
    } else {
      field += character;
      fieldStarted = true;
      index += 1;
    }
  }
  if (fieldStarted || field !== '' || row.length > 0) endRow();
  return rows;
}
