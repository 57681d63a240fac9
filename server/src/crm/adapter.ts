import type { CrmKind, Product, RecordByKind, RecordKind } from '@pulse/shared';

/**
 * The one interface between Pulse and a CRM. Each CRM folder (crm/hubspot, crm/salesforce) exports
 * a factory returning a CrmAdapter; nothing above this file imports an SDK type.
 */

/** Vendor errors, classified once by each adapter; one policy (crm/retry-policy.ts) acts on them. */
export const crmErrorCodes = [
  'RATE_LIMITED',
  'TEMPORARY',
  'AUTH_EXPIRED',
  'INSUFFICIENT_SCOPE',
  'NOT_FOUND',
  'INVALID',
  'UNKNOWN',
] as const;
export type CrmErrorCode = (typeof crmErrorCodes)[number];

export class CrmError extends Error {
  readonly code: CrmErrorCode;
  /** From Retry-After / rate-limit headers, when the vendor said how long to wait. */
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;
  readonly details: unknown;

  constructor(
    code: CrmErrorCode,
    message: string,
    options: { retryAfterMs?: number; status?: number; details?: unknown; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'CrmError';
    this.code = code;
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
    this.details = options.details;
  }
}

/** Where a stream's sync stands; saved after every page so a crash resumes where it stopped. */
export interface SyncCheckpoint {
  phase: 'full' | 'incremental';
  /** Vendor paging cursor within the current phase/window (HubSpot `after`, SOQL nextRecordsUrl). */
  cursor: string | null;
  /** Records modified at or after this instant are fetched by the incremental phase (ISO). */
  updatedAfter: string | null;
  /** Upper bound of the current incremental window (ISO), when the adapter windows its search. */
  windowEnd?: string | null;
  /** The newest modification time seen so far in this run (ISO): the next run's updatedAfter. */
  highWatermark?: string | null;
}

export interface RejectedRecord {
  id: string | null;
  reason: string;
}

export interface RecordPage<K extends RecordKind> {
  records: RecordByKind[K][];
  /** Ids deleted (or archived) in the CRM since the checkpoint. */
  deletedIds: string[];
  /** Merges: `from` no longer exists; its children now belong to `into`. */
  merged: { from: string; into: string }[];
  /** Records that failed validation: reported and skipped, the rest of the page is kept. */
  rejected: RejectedRecord[];
  /** Checkpoint to save once this page is stored. */
  next: SyncCheckpoint;
  /** True when this page ends the stream for this run. */
  done: boolean;
}

export interface PropertyUpdate {
  accountId: string;
  values: Record<string, string | number | null>;
}

export interface CreateOpportunityInput {
  accountId: string;
  productId: string;
  productName: string;
  name: string;
  amount: number;
  ownerId: string | null;
  pipeline: string | null;
  stage: string | null;
  closeDate: string;
}

export interface CreateTaskInput {
  accountId: string;
  ownerId: string | null;
  subject: string;
  body: string;
  dueDate: string;
  priority: 'low' | 'medium' | 'high';
}

export interface EnsureFieldsInput {
  tierLabels: string[];
  factors: { key: string; label: string }[];
}

export interface CrmAdapter {
  readonly crm: CrmKind;
  /** The portal id / org id this adapter is connected to. */
  externalId(): Promise<string>;
  /** Most account updates one write call takes (HubSpot batch update 100, sObject Collections 200). */
  readonly writeBatchSize?: number;
  /** Record kinds in sync order (accounts first, so children can attach). */
  readonly kinds: readonly RecordKind[];
  fetchPage<K extends RecordKind>(
    kind: K,
    checkpoint: SyncCheckpoint | null,
    options: { now: Date },
  ): Promise<RecordPage<K>>;
  listProducts(): Promise<Omit<Product, 'tenantId'>[]>;
  /** Create the Pulse property group and properties / custom fields; idempotent. */
  ensureCustomFields(
    input: EnsureFieldsInput,
  ): Promise<{ created: string[]; updated: string[]; existing: string[] }>;
  /** Write account properties in the vendor's largest batches. */
  writeAccountProperties(updates: PropertyUpdate[]): Promise<{ written: number; failed: RejectedRecord[] }>;
  /** Find an open deal/opportunity for (account, product) created by Pulse, or null. */
  findOpenOpportunity(
    accountId: string,
    productId: string,
  ): Promise<{ id: string; url: string | null } | null>;
  createOpportunity(input: CreateOpportunityInput): Promise<{ id: string; url: string | null }>;
  createTask(input: CreateTaskInput): Promise<{ id: string }>;
}
