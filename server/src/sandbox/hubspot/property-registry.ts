import { defaultGroupLabels, defaultProperties, type PropertyKind } from './default-properties';
import { conflict, notFound, validationError } from './errors';
import { type ObjectTypeName, objectTypeNames } from './object-types';

/** Property definitions and groups per object type, in HubSpot's v3 properties API shape. */

export interface PropertyOption {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
  description?: string;
}

export interface PropertyDefinition {
  name: string;
  label: string;
  description: string;
  type: PropertyKind;
  fieldType: string;
  groupName: string;
  options: PropertyOption[];
  displayOrder: number;
  hidden: boolean;
  formField: boolean;
  hasUniqueValue: boolean;
  calculated: boolean;
  externalOptions: boolean;
  hubspotDefined: boolean;
  modificationMetadata: { archivable: boolean; readOnlyDefinition: boolean; readOnlyValue: boolean };
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export interface PropertyGroup {
  name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
}

export const propertyKinds: readonly PropertyKind[] = [
  'string',
  'number',
  'date',
  'datetime',
  'enumeration',
  'bool',
];

const defaultFieldType: Record<PropertyKind, string> = {
  string: 'text',
  number: 'number',
  date: 'date',
  datetime: 'date',
  enumeration: 'select',
  bool: 'booleancheckbox',
};

function humanLabel(name: string): string {
  const words = name.replace(/^hs_/, '').split('_');
  return words.map((word, index) => (index === 0 ? word[0]!.toUpperCase() + word.slice(1) : word)).join(' ');
}

export interface PropertyCreateInput {
  name?: unknown;
  label?: unknown;
  type?: unknown;
  fieldType?: unknown;
  groupName?: unknown;
  description?: unknown;
  options?: unknown;
  displayOrder?: unknown;
  hidden?: unknown;
  formField?: unknown;
  hasUniqueValue?: unknown;
}

export class PropertyRegistry {
  private readonly properties = new Map<ObjectTypeName, Map<string, PropertyDefinition>>();
  private readonly groups = new Map<ObjectTypeName, Map<string, PropertyGroup>>();
  private readonly clock: () => number;

  constructor(clock: () => number) {
    this.clock = clock;
    const epoch = new Date(Date.UTC(2019, 0, 1)).toISOString();
    for (const type of objectTypeNames) {
      this.properties.set(type, new Map());
      this.groups.set(type, new Map());
      for (const property of defaultProperties(type)) {
        this.ensureGroup(type, property.group);
        const options = (property.options ?? []).map((value, index) => ({
          label: value,
          value,
          displayOrder: index,
          hidden: false,
        }));
        if (property.type === 'bool') {
          options.push(
            { label: 'Yes', value: 'true', displayOrder: 0, hidden: false },
            { label: 'No', value: 'false', displayOrder: 1, hidden: false },
          );
        }
        this.propertiesOf(type).set(property.name, {
          ...this.blank(property.name, property.type, property.group, epoch),
          options,
          hubspotDefined: !property.name.startsWith('pulse_'),
          modificationMetadata: {
            archivable: false,
            readOnlyDefinition: true,
            readOnlyValue: !!property.readOnly,
          },
        });
      }
    }
  }

  private blank(name: string, type: PropertyKind, groupName: string, at: string): PropertyDefinition {
    return {
      name,
      label: humanLabel(name),
      description: '',
      type,
      fieldType: defaultFieldType[type],
      groupName,
      options: [],
      displayOrder: -1,
      hidden: false,
      formField: false,
      hasUniqueValue: false,
      calculated: false,
      externalOptions: false,
      hubspotDefined: false,
      modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false },
      createdAt: at,
      updatedAt: at,
      archived: false,
    };
  }

  private propertiesOf(type: ObjectTypeName): Map<string, PropertyDefinition> {
    return this.properties.get(type)!;
  }

  private groupsOf(type: ObjectTypeName): Map<string, PropertyGroup> {
    return this.groups.get(type)!;
  }

  private ensureGroup(type: ObjectTypeName, name: string): void {
    const groups = this.groupsOf(type);
    if (groups.has(name)) return;
    groups.set(name, {
      name,
      label: defaultGroupLabels[name] ?? humanLabel(name),
      displayOrder: -1,
      archived: false,
    });
  }

  list(type: ObjectTypeName): PropertyDefinition[] {
    return [...this.propertiesOf(type).values()];
  }

  get(type: ObjectTypeName, name: string): PropertyDefinition | undefined {
    return this.propertiesOf(type).get(name);
  }

  read(type: ObjectTypeName, name: string): PropertyDefinition {
    const property = this.get(type, name);
    if (!property) throw notFound(`Unable to find property ${name} for object type ${type}`);
    return property;
  }

  /** Sandbox loading: a property of the given kind, unless it already exists. */
  ensure(type: ObjectTypeName, name: string, kind: PropertyKind, group: string): void {
    if (this.get(type, name)) return;
    this.ensureGroup(type, group);
    const at = new Date(this.clock()).toISOString();
    this.propertiesOf(type).set(name, this.blank(name, kind, group, at));
  }

  create(type: ObjectTypeName, input: PropertyCreateInput): PropertyDefinition {
    const missing = (['name', 'label', 'type', 'fieldType', 'groupName'] as const).filter(
      (field) => typeof input[field] !== 'string' || input[field] === '',
    );
    if (missing.length > 0) {
      throw validationError(`Property is missing required fields: ${missing.join(', ')}`, {
        errors: missing.map((field) => ({ message: `${field} is required`, in: field })),
      });
    }
    const name = input.name as string;
    if (!/^[a-z][a-z0-9_]*$/.test(name)) {
      throw validationError(
        `Property name '${name}' must start with a letter and use lowercase letters, digits and _`,
      );
    }
    if (this.get(type, name)) throw conflict(`Property named '${name}' already exists.`, 'PROPERTY_EXISTS');
    const kind = input.type as PropertyKind;
    if (!propertyKinds.includes(kind)) {
      throw validationError(
        `Property type '${String(input.type)}' is invalid; use one of ${propertyKinds.join(', ')}`,
      );
    }
    const groupName = input.groupName as string;
    if (!this.groupsOf(type).has(groupName)) {
      throw validationError(`Property group '${groupName}' does not exist for object type ${type}`);
    }
    const at = new Date(this.clock()).toISOString();
    const property: PropertyDefinition = {
      ...this.blank(name, kind, groupName, at),
      label: input.label as string,
      fieldType: input.fieldType as string,
      description: typeof input.description === 'string' ? input.description : '',
      options: parseOptions(input.options),
      displayOrder: typeof input.displayOrder === 'number' ? input.displayOrder : -1,
      hidden: input.hidden === true,
      formField: input.formField === true,
      hasUniqueValue: input.hasUniqueValue === true,
    };
    this.propertiesOf(type).set(name, property);
    return property;
  }

  update(type: ObjectTypeName, name: string, input: PropertyCreateInput): PropertyDefinition {
    const property = this.read(type, name);
    if (property.modificationMetadata.readOnlyDefinition) {
      throw validationError(`Property ${name} is HubSpot-defined and cannot be changed`);
    }
    if (input.type !== undefined && !propertyKinds.includes(input.type as PropertyKind)) {
      throw validationError(
        `Property type '${String(input.type)}' is invalid; use one of ${propertyKinds.join(', ')}`,
      );
    }
    if (typeof input.groupName === 'string' && !this.groupsOf(type).has(input.groupName)) {
      throw validationError(`Property group '${input.groupName}' does not exist for object type ${type}`);
    }
    const updated: PropertyDefinition = {
      ...property,
      ...(typeof input.label === 'string' ? { label: input.label } : {}),
      ...(typeof input.description === 'string' ? { description: input.description } : {}),
      ...(typeof input.type === 'string' ? { type: input.type as PropertyKind } : {}),
      ...(typeof input.fieldType === 'string' ? { fieldType: input.fieldType } : {}),
      ...(typeof input.groupName === 'string' ? { groupName: input.groupName } : {}),
      ...(input.options !== undefined ? { options: parseOptions(input.options) } : {}),
      ...(typeof input.displayOrder === 'number' ? { displayOrder: input.displayOrder } : {}),
      ...(typeof input.hidden === 'boolean' ? { hidden: input.hidden } : {}),
      ...(typeof input.formField === 'boolean' ? { formField: input.formField } : {}),
      updatedAt: new Date(this.clock()).toISOString(),
    };
    this.propertiesOf(type).set(name, updated);
    return updated;
  }

  listGroups(type: ObjectTypeName): PropertyGroup[] {
    return [...this.groupsOf(type).values()];
  }

  createGroup(
    type: ObjectTypeName,
    input: { name?: unknown; label?: unknown; displayOrder?: unknown },
  ): PropertyGroup {
    const missing = (['name', 'label'] as const).filter(
      (field) => typeof input[field] !== 'string' || !input[field],
    );
    if (missing.length > 0)
      throw validationError(`Property group is missing required fields: ${missing.join(', ')}`);
    const name = input.name as string;
    if (this.groupsOf(type).has(name))
      throw conflict(`Property group named '${name}' already exists.`, 'GROUP_EXISTS');
    const group: PropertyGroup = {
      name,
      label: input.label as string,
      displayOrder: typeof input.displayOrder === 'number' ? input.displayOrder : -1,
      archived: false,
    };
    this.groupsOf(type).set(name, group);
    return group;
  }
}

function parseOptions(value: unknown): PropertyOption[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw validationError('options must be an array of { label, value }');
  return value.map((option, index) => {
    if (typeof option !== 'object' || option === null)
      throw validationError(`options[${index}] must be an object`);
    const {
      label,
      value: optionValue,
      displayOrder,
      hidden,
      description,
    } = option as Record<string, unknown>;
    if (typeof label !== 'string' || typeof optionValue !== 'string') {
      throw validationError(`options[${index}] needs a string label and value`);
    }
    return {
      label,
      value: optionValue,
      displayOrder: typeof displayOrder === 'number' ? displayOrder : index,
      hidden: hidden === true,
      ...(typeof description === 'string' ? { description } : {}),
    };
  });
}
