import { notFound, validationError } from './errors';
import { associationTypeIds, type ObjectTypeName, objectTypeNames, objectTypes } from './object-types';
import type { PropertyRegistry } from './property-registry';
import { normaliseValue, type PropertyValueError } from './property-values';

/** The in-memory portal: objects per type in id order, associations both ways, merges. */

export interface StoredObject {
  id: string;
  numericId: number;
  type: ObjectTypeName;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  /** updatedAt in ms, so search windows on hs_lastmodifieddate compare numbers. */
  updatedMs: number;
  archived: boolean;
  archivedAt: string | null;
  /** Set when merged into another record: it then exists nowhere but as an alias. */
  mergedInto: string | null;
}

export interface AssociationType {
  category: 'HUBSPOT_DEFINED' | 'USER_DEFINED';
  typeId: number;
  label: string | null;
}

export interface AssociationTarget {
  toObjectId: string;
  associationTypes: AssociationType[];
}

const PRIMARY = 'Primary';

const pairKeys = new Map(
  objectTypeNames.map((from) => [from, new Map(objectTypeNames.map((to) => [to, `${from}|${to}`]))]),
);

/** HubSpot's calculated properties the sandbox keeps: deals' closed/won flags follow the stage. */
function derive(object: StoredObject): void {
  if (object.type !== 'deals') return;
  const stage = object.properties.dealstage;
  object.properties.hs_is_closed_won = String(stage === 'closedwon');
  object.properties.hs_is_closed = String(stage === 'closedwon' || stage === 'closedlost');
}

function addLink(
  pair: Map<string, Map<string, number[]>>,
  fromId: string,
  toId: string,
  typeId: number,
): void {
  let targets = pair.get(fromId);
  if (!targets) {
    targets = new Map();
    pair.set(fromId, targets);
  }
  const typeIds = targets.get(toId);
  if (!typeIds) targets.set(toId, [typeId]);
  else if (!typeIds.includes(typeId)) typeIds.push(typeId);
}

export class ObjectStore {
  private readonly byType = new Map<ObjectTypeName, Map<string, StoredObject>>();
  /** Every object ever created per type, ascending id: list paging walks it from the cursor. */
  private readonly ordered = new Map<ObjectTypeName, StoredObject[]>();
  /** `fromType|toType` → fromId → toId → type ids. */
  private readonly links = new Map<string, Map<string, Map<string, number[]>>>();
  private nextId: number;
  /** Bumped on every change of a type's objects; search results are cached per type and version. */
  private readonly versions = new Map<ObjectTypeName, number>();

  constructor(
    readonly registry: PropertyRegistry,
    private readonly clock: () => number,
    firstId = 1001,
  ) {
    this.nextId = firstId;
    for (const type of objectTypeNames) {
      this.byType.set(type, new Map());
      this.ordered.set(type, []);
    }
  }

  private now(): string {
    return new Date(this.clock()).toISOString();
  }

  objectsOf(type: ObjectTypeName): readonly StoredObject[] {
    return this.ordered.get(type)!;
  }

  count(type: ObjectTypeName, { archived = false } = {}): number {
    let total = 0;
    for (const object of this.byType.get(type)!.values()) if (object.archived === archived) total++;
    return total;
  }

  /** The live object with this id, following merges as HubSpot does; undefined when gone. */
  find(type: ObjectTypeName, id: string, { archived = false } = {}): StoredObject | undefined {
    let object = this.byType.get(type)!.get(id);
    for (let hops = 0; object?.mergedInto && hops < 20; hops++)
      object = this.byType.get(type)!.get(object.mergedInto);
    if (!object || object.mergedInto || object.archived !== archived) return undefined;
    return object;
  }

  get(type: ObjectTypeName, id: string): StoredObject {
    const object = this.find(type, id);
    if (!object) throw notFound(`Object not found. objectId are usually numeric.`);
    return object;
  }

  /** Validates and normalises written properties; throws HubSpot's 400 naming every bad property. */
  normalise(type: ObjectTypeName, input: unknown): Record<string, string | null> {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw validationError('properties must be an object of property name to value');
    }
    const errors: PropertyValueError[] = [];
    const values: Record<string, string | null> = {};
    for (const [name, value] of Object.entries(input)) {
      const property = this.registry.get(type, name);
      if (!property) {
        errors.push({
          isValid: false,
          message: `Property "${name}" does not exist`,
          error: 'PROPERTY_DOESNT_EXIST',
          name,
        });
        continue;
      }
      if (property.modificationMetadata.readOnlyValue) {
        errors.push({
          isValid: false,
          message: `${name} is a read only property`,
          error: 'READ_ONLY_VALUE',
          name,
        });
        continue;
      }
      const normalised = normaliseValue(property, value);
      if (normalised.ok) values[name] = normalised.value;
      else errors.push(normalised.error);
    }
    if (errors.length > 0) {
      throw validationError(`Property values were not valid: ${JSON.stringify(errors)}`, { errors });
    }
    return values;
  }

  /** Creates an object from already-normalised values (seeding passes its own timestamps). */
  insert(
    type: ObjectTypeName,
    values: Record<string, string | null>,
    times: { createdAt?: string; updatedAt?: string; adopt?: boolean } = {},
  ): StoredObject {
    const numericId = this.nextId++;
    const id = String(numericId);
    const createdAt = times.createdAt ?? this.now();
    const updatedAt = times.updatedAt ?? createdAt;
    // Seeding hands over fresh objects without nulls; copying 200k of them only feeds the GC.
    const properties: Record<string, string> = times.adopt ? (values as Record<string, string>) : {};
    if (!times.adopt) {
      for (const name in values) {
        const value = values[name];
        if (value !== null && value !== undefined) properties[name] = value;
      }
    }
    const object: StoredObject = {
      id,
      numericId,
      type,
      properties,
      createdAt,
      updatedAt,
      updatedMs: Date.parse(updatedAt),
      archived: false,
      archivedAt: null,
      mergedInto: null,
    };
    properties.hs_object_id = id;
    properties.createdate = values.createdate ?? createdAt;
    properties.hs_createdate = createdAt;
    this.stamp(object, updatedAt);
    derive(object);
    this.byType.get(type)!.set(id, object);
    this.ordered.get(type)!.push(object);
    this.bump(type);
    return object;
  }

  versionOf(type: ObjectTypeName): number {
    return this.versions.get(type) ?? 0;
  }

  private bump(type: ObjectTypeName): void {
    this.versions.set(type, this.versionOf(type) + 1);
  }

  private stamp(object: StoredObject, at: string): void {
    object.updatedAt = at;
    object.updatedMs = Date.parse(at);
    object.properties.hs_lastmodifieddate = at;
    if (object.type === 'contacts') object.properties.lastmodifieddate = at;
  }

  /** Applies normalised values; hs_lastmodifieddate moves only when a value actually changed. */
  apply(object: StoredObject, values: Record<string, string | null>): boolean {
    let changed = false;
    for (const [name, value] of Object.entries(values)) {
      const current = object.properties[name] ?? null;
      if (current === value) continue;
      changed = true;
      if (value === null) delete object.properties[name];
      else object.properties[name] = value;
    }
    if (changed) {
      this.stamp(object, this.now());
      derive(object);
      this.bump(object.type);
    }
    return changed;
  }

  /** Marks an object as modified now (after a change made outside apply()). */
  touch(object: StoredObject): void {
    this.stamp(object, this.now());
    this.bump(object.type);
  }

  archive(type: ObjectTypeName, id: string): void {
    const object = this.find(type, id);
    if (!object) return;
    const at = this.now();
    object.archived = true;
    object.archivedAt = at;
    this.stamp(object, at);
    this.bump(type);
  }

  /** HubSpot's merge: the primary survives (keeping its values, gaining the other's), records
   * `hs_merged_object_ids`, and takes over the merged record's associations. */
  merge(type: ObjectTypeName, primaryId: string, mergedId: string): StoredObject {
    const primary = this.get(type, primaryId);
    const merged = this.get(type, mergedId);
    if (primary === merged) throw validationError('Cannot merge an object with itself');
    for (const [name, value] of Object.entries(merged.properties)) {
      if (!(name in primary.properties)) primary.properties[name] = value;
    }
    const ids = new Set(
      [primary.properties.hs_merged_object_ids, merged.properties.hs_merged_object_ids, merged.id]
        .filter((value): value is string => !!value)
        .flatMap((value) => value.split(';')),
    );
    primary.properties.hs_merged_object_ids = [...ids].join(';');
    for (const toType of objectTypeNames) {
      for (const [toId, typeIds] of this.targets(type, merged.id, toType)) {
        for (const typeId of typeIds) this.link(type, primary.id, toType, toId, typeId);
        this.unlinkAll(type, merged.id, toType, toId);
      }
    }
    merged.mergedInto = primary.id;
    this.stamp(primary, this.now());
    this.bump(type);
    return primary;
  }

  private pair(fromType: ObjectTypeName, toType: ObjectTypeName): Map<string, Map<string, number[]>> {
    const key = pairKeys.get(fromType)!.get(toType)!;
    let pair = this.links.get(key);
    if (!pair) {
      pair = new Map();
      this.links.set(key, pair);
    }
    return pair;
  }

  private targets(fromType: ObjectTypeName, fromId: string, toType: ObjectTypeName): Map<string, number[]> {
    return this.pair(fromType, toType).get(fromId) ?? new Map();
  }

  private link(
    fromType: ObjectTypeName,
    fromId: string,
    toType: ObjectTypeName,
    toId: string,
    typeId: number,
  ) {
    addLink(this.pair(fromType, toType), fromId, toId, typeId);
    // The reverse direction carries the reverse type id, so both sides read consistently.
    addLink(this.pair(toType, fromType), toId, fromId, this.reverseTypeId(fromType, toType, typeId));
  }

  private reverseTypeId(fromType: ObjectTypeName, toType: ObjectTypeName, typeId: number): number {
    const forward = associationTypeIds(fromType, toType);
    const backward = associationTypeIds(toType, fromType);
    if (typeId === forward.primary && backward.primary !== undefined) return backward.primary;
    return backward.unlabeled;
  }

  private unlinkAll(fromType: ObjectTypeName, fromId: string, toType: ObjectTypeName, toId: string): void {
    this.pair(fromType, toType).get(fromId)?.delete(toId);
    this.pair(toType, fromType).get(toId)?.delete(fromId);
  }

  /** The unlabeled association, plus HubSpot's "Primary" label when asked and defined. */
  associate(
    fromType: ObjectTypeName,
    fromId: string,
    toType: ObjectTypeName,
    toId: string,
    primary = false,
  ): void {
    const from = this.get(fromType, fromId);
    const to = this.get(toType, toId);
    const ids = associationTypeIds(fromType, toType);
    this.link(fromType, from.id, toType, to.id, ids.unlabeled);
    if (primary && ids.primary !== undefined) this.link(fromType, from.id, toType, to.id, ids.primary);
  }

  /** Associations of one object to a type, as the v4 API reports them (merged/archived targets omitted). */
  associations(fromType: ObjectTypeName, fromId: string, toType: ObjectTypeName): AssociationTarget[] {
    const results: AssociationTarget[] = [];
    const forward = associationTypeIds(fromType, toType);
    for (const [toId, typeIds] of this.targets(fromType, fromId, toType)) {
      if (!this.find(toType, toId) || this.find(toType, toId)!.id !== toId) continue;
      const associationTypes = [...typeIds]
        .sort((left, right) => left - right)
        .map<AssociationType>((typeId) => ({
          category: 'HUBSPOT_DEFINED',
          typeId,
          label: typeId === forward.primary ? PRIMARY : null,
        }));
      results.push({ toObjectId: toId, associationTypes });
    }
    return results.sort((left, right) => Number(left.toObjectId) - Number(right.toObjectId));
  }

  singular(type: ObjectTypeName): string {
    return objectTypes[type].singular;
  }
}
