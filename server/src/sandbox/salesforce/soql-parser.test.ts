import { describe, expect, it } from 'vitest';

import { parseSoql, SoqlSyntaxError } from './soql-parser';

describe('sandbox SOQL parser', () => {
  it('parses fields, relationship paths, conditions, ordering and limit', () => {
    expect(
      parseSoql(
        "select Id, Owner.Name from Account where SystemModstamp >= 2026-01-01T00:00:00Z and Id in ('a', 'b') and Customer_Since__c < 2025-01-01 order by SystemModstamp desc, Id limit 5",
      ),
    ).toEqual({
      fields: ['Id', 'Owner.Name'],
      object: 'Account',
      where: [
        {
          field: 'SystemModstamp',
          operator: '>=',
          value: { kind: 'datetime', value: new Date('2026-01-01T00:00:00Z') },
        },
        {
          field: 'Id',
          operator: 'IN',
          values: [
            { kind: 'string', value: 'a' },
            { kind: 'string', value: 'b' },
          ],
        },
        { field: 'Customer_Since__c', operator: '<', value: { kind: 'date', value: '2025-01-01' } },
      ],
      orderBy: [
        { field: 'SystemModstamp', descending: true },
        { field: 'Id', descending: false },
      ],
      limit: 5,
    });
  });

  it('rejects what Pulse never sends, loudly', () => {
    expect(() => parseSoql("SELECT Id FROM Account WHERE Name = 'a' OR Name = 'b'")).toThrow(SoqlSyntaxError);
    expect(() => parseSoql("SELECT Id FROM Account WHERE Name = 'unterminated")).toThrow(/unterminated/);
    expect(() => parseSoql("SELECT Id FROM Account WHERE Name = 'bad \\q escape'")).toThrow(/escape/);
    expect(() => parseSoql('SELECT Id FROM Account LIMIT 5 extra')).toThrow(/unexpected token/);
    expect(() => parseSoql('SELECT FROM Account')).toThrow(SoqlSyntaxError);
  });
});
