import { describe, expect, it } from 'vitest';

import { parseSoql } from '../../sandbox/salesforce/soql-parser';
import { buildSoql, escapeString, literal, SoqlDateTime } from './soql';

describe('SOQL builder', () => {
  it('renders the incremental query Pulse sends', () => {
    expect(
      buildSoql({
        select: ['Id', 'Name', 'Owner.Name'],
        from: 'Account',
        where: [
          {
            field: 'SystemModstamp',
            operator: '>=',
            value: new SoqlDateTime(new Date('2026-03-04T05:06:07.890Z')),
          },
        ],
        orderBy: [{ field: 'SystemModstamp' }],
        limit: 10,
      }),
    ).toBe(
      'SELECT Id, Name, Owner.Name FROM Account WHERE SystemModstamp >= 2026-03-04T05:06:07Z ORDER BY SystemModstamp ASC LIMIT 10',
    );
  });

  it('keeps an injection attempt inside its string literal', () => {
    const hostile = "x' OR Name != '";
    const soql = buildSoql({
      select: ['Id'],
      from: 'Opportunity',
      where: [{ field: 'AccountId', operator: '=', value: hostile }],
    });
    expect(soql).toBe("SELECT Id FROM Opportunity WHERE AccountId = 'x\\' OR Name != \\''");
    const parsed = parseSoql(soql);
    expect(parsed.where).toEqual([
      { field: 'AccountId', operator: '=', value: { kind: 'string', value: hostile } },
    ]);
  });

  it('escapes backslashes, quotes and control characters so they round-trip', () => {
    const nasty = 'a\\b\'c"d\ne\tf';
    expect(escapeString(nasty)).toBe('a\\\\b\\\'c\\"d\\ne\\tf');
    const parsed = parseSoql(`SELECT Id FROM Account WHERE Name = ${literal(nasty)}`);
    expect(parsed.where[0]).toMatchObject({ value: { kind: 'string', value: nasty } });
  });

  it('renders IN lists, booleans, null and numbers as literals', () => {
    expect(
      buildSoql({
        select: ['Id'],
        from: 'Account',
        where: [
          { field: 'Id', operator: 'IN', values: ['001A', "001'B"] },
          { field: 'CS_Opt_Out__c', operator: '=', value: false },
          { field: 'OwnerId', operator: '!=', value: null },
          { field: 'NumberOfEmployees', operator: '>', value: 50 },
        ],
      }),
    ).toBe(
      "SELECT Id FROM Account WHERE Id IN ('001A', '001\\'B') AND CS_Opt_Out__c = false AND OwnerId != null AND NumberOfEmployees > 50",
    );
  });

  it('refuses field and object names that are not identifiers', () => {
    expect(() => buildSoql({ select: ['Id, (SELECT Id FROM Contacts)'], from: 'Account' })).toThrow(
      /Not a SOQL field/,
    );
    expect(() => buildSoql({ select: ['Id'], from: 'Account WHERE Name != null' })).toThrow(
      /Not a SOQL field/,
    );
    expect(() =>
      buildSoql({
        select: ['Id'],
        from: 'Account',
        where: [{ field: "Name = 'x' OR Id", operator: '=', value: 'y' }],
      }),
    ).toThrow(/Not a SOQL field/);
  });

  it('refuses empty IN lists, non-finite numbers, invalid dates and bad limits', () => {
    expect(() =>
      buildSoql({ select: ['Id'], from: 'Account', where: [{ field: 'Id', operator: 'IN', values: [] }] }),
    ).toThrow(/Empty IN/);
    expect(() => literal(Number.NaN)).toThrow(/Non-finite/);
    expect(() => literal(new Date('nope'))).toThrow(/Invalid date/);
    expect(() => buildSoql({ select: ['Id'], from: 'Account', limit: 0 })).toThrow(/LIMIT/);
  });
});
