import type { UsageSnapshot } from '@pulse/shared';
import { type RejectedRow, UsageRow } from '@pulse/shared/api/usage';
import { type Kysely, sql } from 'kysely';

import type { Database } from '../db/schema';
import { insertUsage } from '../store/bulk-records';
import { queueRescore } from '../store/records';

/**
 * The one path usage takes into the store, shared by `POST /api/v1/usage` and `pulse usage import`:
 * validate each row on its own (a bad row is reported with its reason, the good rows are kept),
 * resolve the account, replace the account-day (idempotent) and queue the account for re-scoring.
 */

export interface CandidateRow {
  /** How the caller names this row in a report: array index (API) or line number (CSV). */
  row: number;
  value: unknown;
}

export interface IngestOutcome {
  accepted: number;
  rejected: RejectedRow[];
  /** Distinct accounts whose usage was written. */
  accountIds: string[];
}

/** `https://www.Acme.com/path` and `acme.com` name the same account. */
export function normaliseDomain(domain: string): string {
  return domain
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/^www\./, '')
    .replace(/[/?#].*$/, '');
}

/** The same normalisation in SQL, so stored CRM domains written either way match. */
const NORMALISED_DOMAIN_SQL =
  "regexp_replace(regexp_replace(regexp_replace(lower(trim(domain)), '^[a-z][a-z0-9+.-]*://', ''), '^www\\.', ''), '[/?#].*$', '')";
const normalisedDomainColumn = sql<string>`${sql.raw(NORMALISED_DOMAIN_SQL)}`;

type Resolution = { accountId: string } | { reason: string };

/**
 * Finds accounts by domain or CRM id, remembering answers so a large import asks once per account.
 * One resolver serves one tenant.
 */
export class AccountResolver {
  private readonly byDomain = new Map<string, Resolution>();
  private readonly byId = new Map<string, Resolution>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly tenantId: string,
  ) {}

  async prepare(keys: { domains: Iterable<string>; accountIds: Iterable<string> }): Promise<void> {
    const domains = [...new Set(keys.domains)].filter((domain) => !this.byDomain.has(domain));
    const accountIds = [...new Set(keys.accountIds)].filter((id) => !this.byId.has(id));
    for (let start = 0; start < domains.length; start += 5_000) {
      const chunk = domains.slice(start, start + 5_000);
      const rows = await this.db
        .selectFrom('accounts')
        .select(['id', normalisedDomainColumn.as('normalised')])
        .where('tenant_id', '=', this.tenantId)
        .where('deleted_at', 'is', null)
        .where(normalisedDomainColumn, 'in', chunk)
        .orderBy('id')
        .execute();
      const matches = new Map<string, string[]>();
      for (const row of rows) matches.set(row.normalised, [...(matches.get(row.normalised) ?? []), row.id]);
      for (const domain of chunk) {
        const ids = matches.get(domain) ?? [];
        this.byDomain.set(
          domain,
          ids.length === 1
            ? { accountId: ids[0]! }
            : ids.length === 0
              ? { reason: `unknown account: no account has domain "${domain}"` }
              : {
                  reason: `ambiguous domain "${domain}": ${ids.length} accounts have it (${ids.slice(0, 3).join(', ')}); send accountId instead`,
                },
        );
      }
    }
    for (let start = 0; start < accountIds.length; start += 5_000) {
      const chunk = accountIds.slice(start, start + 5_000);
      const rows = await this.db
        .selectFrom('accounts')
        .select('id')
        .where('tenant_id', '=', this.tenantId)
        .where('deleted_at', 'is', null)
        .where('id', 'in', chunk)
        .execute();
      const found = new Set(rows.map((row) => row.id));
      for (const id of chunk) {
        this.byId.set(
          id,
          found.has(id) ? { accountId: id } : { reason: `unknown account: no account has accountId "${id}"` },
        );
      }
    }
  }

  resolve(row: UsageRow): Resolution {
    if (row.accountId !== undefined)
      return this.byId.get(row.accountId) ?? { reason: 'account not looked up' };
    return this.byDomain.get(normaliseDomain(row.domain ?? '')) ?? { reason: 'account not looked up' };
  }
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function reasonOf(issues: readonly { message: string }[]): string {
  return [...new Set(issues.map((issue) => issue.message))].join('; ');
}

export async function ingestUsageRows(
  db: Kysely<Database>,
  tenantId: string,
  candidates: readonly CandidateRow[],
  now: Date,
  resolver: AccountResolver = new AccountResolver(db, tenantId),
): Promise<IngestOutcome> {
  const rejected: RejectedRow[] = [];
  // A product a timezone ahead may already report "tomorrow" (UTC); anything later is a mistake.
  const latestDay = isoDay(new Date(now.getTime() + 24 * 60 * 60 * 1000));
  const valid: { row: number; usage: UsageRow }[] = [];
  for (const candidate of candidates) {
    const parsed = UsageRow.safeParse(candidate.value);
    if (!parsed.success) {
      rejected.push({ row: candidate.row, reason: reasonOf(parsed.error.issues) });
    } else if (parsed.data.day > latestDay) {
      rejected.push({ row: candidate.row, reason: `day ${parsed.data.day} is in the future` });
    } else {
      valid.push({ row: candidate.row, usage: parsed.data });
    }
  }

  await resolver.prepare({
    domains: valid.flatMap(({ usage }) =>
      usage.domain === undefined ? [] : [normaliseDomain(usage.domain)],
    ),
    accountIds: valid.flatMap(({ usage }) => (usage.accountId === undefined ? [] : [usage.accountId])),
  });

  // One statement cannot update a row twice, and the later row is what the sender meant.
  const byAccountDay = new Map<string, { row: number; accountId: string; usage: UsageRow }>();
  for (const { row, usage } of valid) {
    const resolution = resolver.resolve(usage);
    if ('reason' in resolution) {
      rejected.push({ row, reason: resolution.reason });
      continue;
    }
    const key = `${resolution.accountId}\u0000${usage.day}`;
    const earlier = byAccountDay.get(key);
    if (earlier) {
      rejected.push({
        row: earlier.row,
        reason: `same account and day as row ${row}, which replaces it`,
      });
    }
    byAccountDay.set(key, { row, accountId: resolution.accountId, usage });
  }

  const rows: UsageSnapshot[] = [...byAccountDay.values()].map(({ accountId, usage }) => ({
    tenantId,
    accountId,
    day: usage.day,
    activeUsers: usage.activeUsers,
    licensedSeats: usage.licensedSeats,
    logins: usage.logins,
    featuresAdopted: usage.featuresAdopted,
    featuresAvailable: usage.featuresAvailable,
    apiCalls: usage.apiCalls,
    integrationCalls: usage.integrationCalls,
    integrationFailures: usage.integrationFailures,
    metrics: usage.metrics,
  }));
  const accountIds = [...new Set(rows.map((row) => row.accountId))];
  if (rows.length > 0) {
    await db.transaction().execute(async (transaction) => {
      await insertUsage(transaction, rows);
      await queueRescore(transaction, tenantId, accountIds, 'usage', now);
    });
  }
  rejected.sort((left, right) => left.row - right.row);
  return { accepted: rows.length, rejected, accountIds };
}
