import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { factorPropertyName, pulsePropertyNames, salesforceFieldName } from '@pulse/shared';
import { healthPresets } from '@pulse/shared/health/config';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';

import { SALESFORCE_API_VERSION } from '../../server/src/crm/salesforce/constants';
import { streamObjects } from '../../server/src/crm/salesforce/streams';

const root = join(import.meta.dirname, '../..');
const packageRoot = join(root, 'extension/salesforce/main/default');
const parser = new XMLParser({
  ignoreAttributes: false,
  isArray: (name) =>
    [
      'fieldPermissions',
      'objectPermissions',
      'target',
      'value',
      'labels',
      'classAccesses',
      'tabSettings',
    ].includes(name),
});

function walk(directory: string): string[] {
  return readdirSync(directory).flatMap((entry) => {
    const path = join(directory, entry);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const files = walk(join(root, 'extension/salesforce'));
const metadataFiles = files.filter((file) => file.endsWith('-meta.xml'));
const parse = (file: string) => parser.parse(readFileSync(file, 'utf8'));

type Field = { object: string; name: string; type: string; xml: Record<string, unknown> };
const fields: Field[] = metadataFiles
  .filter((file) => file.endsWith('.field-meta.xml'))
  .map((file) => {
    const xml = parse(file).CustomField;
    return {
      object: basename(dirname(dirname(file))),
      name: basename(file, '.field-meta.xml'),
      type: xml.type,
      xml,
    };
  });
const fieldKeys = new Set(fields.map((field) => `${field.object}.${field.name}`));

describe('Salesforce DX package metadata', () => {
  it('is well-formed XML everywhere', () => {
    expect(metadataFiles.length).toBeGreaterThan(40);
    for (const file of metadataFiles) {
      const result = XMLValidator.validate(readFileSync(file, 'utf8'));
      expect(result, relative(root, file)).toBe(true);
    }
  });

  it('declares the package directory and the API version the connector pins', () => {
    const project = JSON.parse(readFileSync(join(root, 'sfdx-project.json'), 'utf8'));
    expect(project.packageDirectories).toEqual([{ path: 'extension/salesforce', default: true }]);
    expect(project.sourceApiVersion).toBe(SALESFORCE_API_VERSION);
    for (const file of metadataFiles.filter((name) => /\.(cls|js)-meta\.xml$/.test(name))) {
      expect(readFileSync(file, 'utf8'), relative(root, file)).toContain(
        `<apiVersion>${SALESFORCE_API_VERSION}</apiVersion>`,
      );
    }
  });

  it('gives every field its full name, label and type, with the details its type needs', () => {
    for (const field of fields) {
      const where = `${field.object}.${field.name}`;
      expect(field.xml.fullName, where).toBe(field.name);
      expect(field.xml.label, where).toBeTruthy();
      expect(String(field.xml.label).length, where).toBeLessThanOrEqual(40);
      expect(field.type, where).toMatch(
        /^(Number|Percent|Currency|Text|Date|DateTime|Checkbox|Picklist|Lookup|MasterDetail)$/,
      );
      if (['Number', 'Currency', 'Percent'].includes(field.type)) {
        expect(field.xml.precision, where).toBeDefined();
        expect(field.xml.scale, where).toBeDefined();
      }
      if (field.type === 'Text') expect(field.xml.length, where).toBeDefined();
      if (field.type === 'Picklist') expect(field.xml.valueSet, where).toBeDefined();
      if (field.type === 'Lookup' || field.type === 'MasterDetail') {
        expect(field.xml.referenceTo, where).toBeTruthy();
        expect(field.xml.relationshipName, where).toBeTruthy();
      }
      if (field.type === 'MasterDetail' || field.type === 'Checkbox')
        expect(field.xml.required, where).toBeUndefined();
    }
  });

  it('has an Account field for every public-contract property and every preset factor', () => {
    const factorKeys = new Set(
      Object.values(healthPresets).flatMap((preset) => preset.factors.map((factor) => factor.key)),
    );
    const expected = [...pulsePropertyNames, ...[...factorKeys].map(factorPropertyName)].map(
      salesforceFieldName,
    );
    expect(expected).toContain('Pulse_Health_Score__c');
    expect(expected).toContain('Pulse_Factor_Payment__c');
    for (const name of expected) expect(fieldKeys.has(`Account.${name}`), name).toBe(true);
  });

  it('has every custom field and object the connector reads', () => {
    const objectFolder = (object: string) => (object === 'Task' || object === 'Event' ? 'Activity' : object);
    for (const streams of Object.values(streamObjects)) {
      for (const stream of streams) {
        if (stream.object.endsWith('__c')) {
          expect(
            files.some((file) => file.endsWith(`${stream.object}.object-meta.xml`)),
            stream.object,
          ).toBe(true);
        }
        for (const name of Object.keys(stream.schema.shape).filter((key) => key.endsWith('__c'))) {
          expect(fieldKeys.has(`${objectFolder(stream.object)}.${name}`), `${stream.object}.${name}`).toBe(
            true,
          );
        }
      }
    }
  });

  it('grants every custom field in the Pulse permission set, and nothing that does not exist', () => {
    const permissionSet = parse(
      join(packageRoot, 'permissionsets/Pulse.permissionset-meta.xml'),
    ).PermissionSet;
    const granted = new Set<string>(
      permissionSet.fieldPermissions.map((permission: { field: string }) => permission.field),
    );
    for (const field of fields) {
      // Master-detail fields are always visible and cannot carry field-level security.
      if (field.type === 'MasterDetail') continue;
      expect(granted.has(`${field.object}.${field.name}`), `${field.object}.${field.name}`).toBe(true);
    }
    for (const name of granted) expect(fieldKeys.has(name), name).toBe(true);
    for (const permission of permissionSet.fieldPermissions) {
      if (permission.field.startsWith('Account.Pulse_'))
        expect(permission.editable, permission.field).toBe(true);
    }
    const objects = permissionSet.objectPermissions.map(
      (permission: { object: string }) => permission.object,
    );
    expect(objects.sort()).toEqual(['Pulse_Invoice__c', 'Pulse_Subscription__c']);
    for (const access of permissionSet.classAccesses) {
      expect(
        files.some((file) => file.endsWith(`classes/${access.apexClass}.cls`)),
        access.apexClass,
      ).toBe(true);
    }
    for (const tab of permissionSet.tabSettings) {
      expect(
        files.some((file) => file.endsWith(`tabs/${tab.tab}.tab-meta.xml`)),
        tab.tab,
      ).toBe(true);
    }
  });

  it('exposes each Lightning web component with targets, and each bundle is complete', () => {
    const bundles = metadataFiles.filter((file) => file.endsWith('.js-meta.xml'));
    expect(bundles.map((file) => basename(file, '.js-meta.xml')).sort()).toEqual([
      'pulseAccountHealth',
      'pulseSettings',
    ]);
    for (const file of bundles) {
      const bundle = parse(file).LightningComponentBundle;
      const name = basename(file, '.js-meta.xml');
      expect(bundle.isExposed, name).toBe(true);
      expect(bundle.targets.target.length, name).toBeGreaterThan(0);
      expect(files).toContain(join(dirname(file), `${name}.js`));
      expect(files).toContain(join(dirname(file), `${name}.html`));
    }
    const card = parse(
      join(packageRoot, 'lwc/pulseAccountHealth/pulseAccountHealth.js-meta.xml'),
    ).LightningComponentBundle;
    expect(card.targets.target).toEqual(['lightning__RecordPage']);
    expect(card.targetConfigs.targetConfig.objects.object).toBe('Account');
    const tab = parse(join(packageRoot, 'tabs/Pulse_Settings.tab-meta.xml')).CustomTab;
    expect(files.some((file) => file.endsWith(`lwc/${tab.lwcComponent}/${tab.lwcComponent}.js`))).toBe(true);
  });

  it('calls Pulse through the Named Credential and tests every Apex class', () => {
    const credential = parse(
      join(packageRoot, 'namedCredentials/Pulse.namedCredential-meta.xml'),
    ).NamedCredential;
    expect(credential.label).toBe('Pulse');
    expect(credential.allowMergeFieldsInHeader).toBe(true);
    const api = readFileSync(join(packageRoot, 'classes/PulseApi.cls'), 'utf8');
    expect(api).toContain("'callout:Pulse'");
    const classes = files.filter((file) => file.endsWith('.cls'));
    const tests = classes.filter((file) => /@IsTest/i.test(readFileSync(file, 'utf8')));
    for (const file of classes.filter((name) => !tests.includes(name))) {
      const name = basename(file, '.cls');
      const test = tests.find((candidate) => readFileSync(candidate, 'utf8').includes(`${name}.`));
      expect(test, `a test class exercising ${name}`).toBeDefined();
      expect(readFileSync(test!, 'utf8')).toContain('HttpCalloutMock');
      expect(files).toContain(`${file}-meta.xml`);
    }
  });
});
