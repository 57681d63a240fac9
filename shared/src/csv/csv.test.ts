import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { CsvParseError, neutraliseFormula, parseCsv, toCsv } from './csv';

describe('toCsv', () => {
  it('quotes fields with commas, quotes, CR and LF and ends every line with CRLF', () => {
    const text = toCsv(
      ['Account', 'Note'],
      [
        ['Acme, Inc.', 'said "hi"'],
        ['Line\nbreak', 'carriage\rreturn'],
        ['plain', null],
      ],
    );
    expect(text).toBe(
      'Account,Note\r\n"Acme, Inc.","said ""hi"""\r\n"Line\nbreak","carriage\rreturn"\r\nplain,\r\n',
    );
  });

  it.each([
    ['=SUM(A1:A2)', "'=SUM(A1:A2)"],
    ['+1', "'+1"],
    ['-2+3', "'-2+3"],
    ['@cmd', "'@cmd"],
    ['\tTab', "'\tTab"],
    ['\rCR', "'\rCR"],
    ['Normal', 'Normal'],
    ['', ''],
  ])('neutralises a text cell starting %j', (input, expected) => {
    expect(neutraliseFormula(input)).toBe(expected);
  });

  it('keeps numbers numeric, including negative ones, and writes booleans as words', () => {
    expect(toCsv(['a', 'b', 'c'], [[-3, 12.5, true]])).toBe('a,b,c\r\n-3,12.5,true\r\n');
  });

  it('quotes a neutralised formula that also contains a comma', () => {
    expect(toCsv(['x'], [['=HYPERLINK("http://evil",1)']])).toBe(
      'x\r\n"\'=HYPERLINK(""http://evil"",1)"\r\n',
    );
  });
});

describe('parseCsv', () => {
  it('round-trips commas, quotes, newlines and a leading = (which comes back prefixed)', () => {
    const rows = [
      ['Acme, Inc.', 'He said "renew"', 'two\r\nlines', '=1+1', 'ok'],
      ['', 'x', 'y', 'z', '"'],
    ];
    const parsed = parseCsv(toCsv(['a', 'b', 'c', 'd', 'e'], rows));
    expect(parsed).toEqual([
      ['a', 'b', 'c', 'd', 'e'],
      ['Acme, Inc.', 'He said "renew"', 'two\r\nlines', "'=1+1", 'ok'],
      ['', 'x', 'y', 'z', '"'],
    ]);
  });

  it('round-trips any text that does not start with a formula character', () => {
    const safeText = fc.string({ unit: 'grapheme' }).filter((text) => !/^[=+\-@\t\r]/.test(text));
    fc.assert(
      fc.property(fc.array(fc.array(safeText, { minLength: 2, maxLength: 2 }), { maxLength: 6 }), (rows) => {
        expect(parseCsv(toCsv(['first', 'second'], rows))).toEqual([['first', 'second'], ...rows]);
      }),
    );
  });

  it('accepts LF line ends and a missing final line end', () => {
    expect(parseCsv('a,b\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('rejects an unterminated quoted field, naming the line', () => {
    expect(() => parseCsv('a\r\n"open')).toThrow(CsvParseError);
    expect(() => parseCsv('a\r\n"open')).toThrow('CSV line 2');
  });

  it('rejects a stray quote inside an unquoted field', () => {
    expect(() => parseCsv('ab"c')).toThrow('a quote inside an unquoted field');
  });
});
