/**
 * `npm run bench:sync [-- --crm hubspot] [--companies 20000] [--rate 190/10000] [--search-rate 5/1000|off]
 *  [--database pglite|postgres] [--trace <dir>]`
 *
 * A sandbox HubSpot portal shaped to 20k companies, 60k deals, 100k tickets and 40k contacts, synced
 * through the real @hubspot/api-client with Pulse's rate limiters on: full sync + score + write-back,
 * an incremental run after 1% of the records changed, and a run with no change. Per phase: API calls
 * beside the lower bound (pages of 100, search pages of 200, batches of 100, association batches of
 * 1,000) and the API-bound wall time beside the rate bound.
 *
 * The rate bound is the shortest time the sandbox's limits allow for the calls made: calls / burst
 * rate, or searches / search rate when that is longer. HubSpot limits CRM search to 5 requests per
 * second on top of the burst budget, and the sandbox enforces it here; an incremental run is mostly
 * searches, so calls / burst rate alone would ask for a speed no client could reach against HubSpot.
 * Each phase runs through new adapters, as separate sync runs do; they share the portal's limiters,
 * as every adapter of one portal in a process does.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PerformanceObserver, constants as perfConstants } from 'node:perf_hooks';
import { portfolioBatches, productCatalogue } from '@pulse/shared/demo/index';
import type { AppContext } from '../server/src/context';
import { createHubSpotAdapter } from '../server/src/crm/hubspot/adapter';
import {
  ASSOCIATION_BATCH_SIZE,
  BATCH_SIZE,
  LIST_PAGE_SIZE,
  SEARCH_PAGE_SIZE,
  SEARCH_RATE_LIMIT,
} from '../server/src/crm/hubspot/constants';
import { type DatabaseHandle, openDatabase } from '../server/src/db/connection';
import { createTestDatabase } from '../server/src/db/testing';
import { parseEnv } from '../server/src/env';
import type { CanonicalPortfolio } from '../server/src/sandbox/hubspot/demo-mapping';
import { type HubSpotSandbox, startHubSpotSandbox } from '../server/src/sandbox/hubspot/index';
import { ensureTenant } from '../server/src/store/records';
import { type PipelineReport, syncScoreAndWrite } from '../server/src/sync/pipeline';

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1]! : fallback;
}

const crm = option('crm', 'hubspot');
if (crm === 'salesforce') {
  const { runBench } = await import('./sync-salesforce');
  const crmIndex = process.argv.indexOf('--crm');
  process.exit(
    (await runBench(process.argv.slice(2).filter((_, i) => i !== crmIndex - 2 && i !== crmIndex - 1)))
      ? 0
      : 1,
  );
}
if (crm !== 'hubspot') {
  console.error(`--crm ${crm}: only hubspot and salesforce are benchmarked`);
  process.exit(2);
}
const companies = Number(option('companies', '20000'));
const scale = companies / 20_000;
const targets = {
  deals: Math.round(60_000 * scale),
  tickets: Math.round(100_000 * scale),
  contacts: Math.round(40_000 * scale),
};
const [rateRequests, rateInterval] = option('rate', '190/10000').split('/').map(Number) as [number, number];
const searchRateOption = option(
  'search-rate',
  `${SEARCH_RATE_LIMIT.requests}/${SEARCH_RATE_LIMIT.intervalMs}`,
);
/** `off`: the sandbox does not limit searches (as before it modelled HubSpot's search limit). */
const searchRate =
  searchRateOption === 'off'
    ? null
    : (() => {
        const [requests, intervalMs] = searchRateOption.split('/').map(Number) as [number, number];
        return { requests, intervalMs };
      })();
const databaseKind = option('database', 'pglite');
/** `--trace <dir>`: write each phase's request log (arrival time, route, status) as JSON there. */
const traceDir = option('trace', '');

/** The demo generator's portfolio, trimmed or stretched to the target counts per kind. */
function shapedPortfolio(now: Date): CanonicalPortfolio {
  const portfolio: Required<CanonicalPortfolio> = {
    accounts: [],
    contacts: [],
    deals: [],
    tickets: [],
    engagements: [],
    subscriptions: [],
    invoices: [],
    products: productCatalogue('bench'),
  };
  for (const batch of portfolioBatches({
    seed: 2026,
    accounts: companies,
    tenantId: 'bench',
    now,
    usageDays: 0,
  })) {
    portfolio.accounts.push(...batch.accounts);
    portfolio.contacts.push(...batch.contacts);
    portfolio.deals.push(...batch.deals);
    portfolio.tickets.push(...batch.tickets);
  }
  const stretch = <T extends { id: string }>(records: T[], count: number): T[] => {
    const result = records.slice(0, count);
    for (let copy = 1; result.length < count; copy += 1)
      for (const record of records) {
        if (result.length >= count) break;
        result.push({ ...record, id: `${record.id}-${copy}` });
      }
    return result;
  };
  portfolio.deals = stretch(portfolio.deals, targets.deals);
  portfolio.tickets = stretch(portfolio.tickets, targets.tickets);
  portfolio.contacts = stretch(portfolio.contacts, targets.contacts);
  return portfolio;
}

const ceil = (count: number, size: number) => Math.ceil(count / size);

/**
 * Major GC pauses since the last reset. Pulse, PGlite and the sandbox portal (220k objects) share
 * one heap and one event loop here, so a long pause stalls requests it would not stall against
 * HubSpot; the bench reports them beside the wall time.
 */
const gcPauses = { majorMs: 0, longest: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind;
    if (kind !== perfConstants.NODE_PERFORMANCE_GC_MAJOR) continue;
    gcPauses.majorMs += entry.duration;
    gcPauses.longest = Math.max(gcPauses.longest, entry.duration);
  }
}).observe({ entryTypes: ['gc'] });
const resetGc = () => {
  gcPauses.majorMs = 0;
  gcPauses.longest = 0;
};
const emptyTypes = ['meetings', 'calls', 'emails', 'notes', 'subscriptions', 'invoices'] as const;

interface PhaseFigures {
  name: string;
  calls: number;
  lowerBound: number;
  writes: number;
  searches: number;
  rateLimited: number;
  apiWallMs: number;
  scoreMs: number;
  gcMs: number;
  gcLongestMs: number;
  timings: PipelineReport['timings'];
  detail: string;
}

function summarise(
  name: string,
  sandbox: HubSpotSandbox,
  report: PipelineReport,
  lowerBound: number,
  detail: string,
): PhaseFigures {
  const requests = sandbox.requests;
  if (traceDir) {
    mkdirSync(traceDir, { recursive: true });
    const file = join(traceDir, `${name.split(' ')[0]}.json`);
    writeFileSync(file, JSON.stringify(requests));
  }
  return {
    name,
    calls: requests.length,
    lowerBound,
    writes: requests.filter((entry) => entry.path.endsWith('/batch/update')).length,
    searches: requests.filter((entry) => entry.method === 'POST' && entry.path.endsWith('/search')).length,
    rateLimited: requests.filter((entry) => entry.status === 429).length,
    apiWallMs: report.timings.fieldsMs + report.timings.syncMs + report.timings.writeBackMs,
    scoreMs: report.timings.scoreMs,
    timings: report.timings,
    gcMs: gcPauses.majorMs,
    gcLongestMs: gcPauses.longest,
    detail,
  };
}

async function main() {
  const now = new Date();
  let started = performance.now();
  const portfolio = shapedPortfolio(now);
  const sandbox = await startHubSpotSandbox({
    records: portfolio,
    now,
    rateLimit: { max: rateRequests, intervalMs: rateInterval },
    searchRateLimit: searchRate ? { max: searchRate.requests, intervalMs: searchRate.intervalMs } : false,
  });
  const counts = Object.fromEntries(
    (['companies', 'deals', 'tickets', 'contacts'] as const).map((type) => [type, sandbox.store.count(type)]),
  ) as Record<'companies' | 'deals' | 'tickets' | 'contacts', number>;
  console.log(
    `Sandbox portal: ${Object.entries(counts)
      .map(([type, count]) => `${count.toLocaleString('en-US')} ${type}`)
      .join(
        ', ',
      )} (built in ${((performance.now() - started) / 1000).toFixed(1)}s); rate limit ${rateRequests}/${rateInterval} ms, search ${searchRate ? `${searchRate.requests}/${searchRate.intervalMs} ms` : 'unlimited'}; Pulse's limiters at the same budgets`,
  );

  const database: DatabaseHandle =
    databaseKind === 'postgres'
      ? await createTestDatabase('postgres')
      : await openDatabase({ dataDir: 'memory://' });
  const ctx: AppContext = {
    db: database.db,
    dbKind: database.kind,
    env: parseEnv({}),
    now: () => new Date(),
  };
  const tenantId = await ensureTenant(ctx.db, {
    crm: 'hubspot',
    externalId: String(sandbox.portalId),
    name: 'Bench',
  });
  const adapter = () =>
    createHubSpotAdapter({
      basePath: sandbox.url,
      accessToken: sandbox.accessToken,
      portalId: String(sandbox.portalId),
      rateLimit: { requests: rateRequests, intervalMs: rateInterval },
      // Pulse always keeps searches under HubSpot's limit; with --search-rate off the sandbox does
      // not enforce one, so the limiter is opened up to match.
      searchRateLimit: searchRate ?? { requests: 1_000_000, intervalMs: 1_000 },
    });
  const phases: PhaseFigures[] = [];
  const progress = (label: string) => (done: number, total: number) => {
    if (done === total) console.log(`  ${label}: ${done.toLocaleString('en-US')} accounts`);
  };

  // Phase 1: full sync + score + write-back (with the property bootstrap of a first connect).
  sandbox.resetRequestLog();
  resetGc();
  const full = await syncScoreAndWrite(ctx, {
    tenantId,
    adapter: adapter(),
    ensureFields: true,
    onScoreProgress: progress('scored'),
  });
  if (full.sync.status !== 'completed')
    throw new Error(`full sync ${full.sync.status}: ${full.sync.error?.message}`);
  const bootstrapCalls = sandbox.requests.filter((entry) =>
    entry.path.startsWith('/crm/v3/properties'),
  ).length;
  const fullLower =
    ceil(counts.companies, LIST_PAGE_SIZE) +
    ceil(counts.contacts, LIST_PAGE_SIZE) +
    ceil(counts.deals, LIST_PAGE_SIZE) +
    ceil(counts.tickets, LIST_PAGE_SIZE) +
    emptyTypes.length + // one (empty) list page for each object type the portal has none of
    ceil(counts.contacts, ASSOCIATION_BATCH_SIZE) +
    ceil(counts.deals, ASSOCIATION_BATCH_SIZE) +
    ceil(counts.tickets, ASSOCIATION_BATCH_SIZE) +
    1 + // owners
    1 + // products
    bootstrapCalls +
    ceil(full.writeBack?.changed ?? 0, BATCH_SIZE);
  phases.push(
    summarise(
      'full sync + score + write-back',
      sandbox,
      full,
      fullLower,
      `${full.writeBack?.written ?? 0} accounts written, ${bootstrapCalls} property calls`,
    ),
  );

  // Phase 2: 1% of every kind changes in the portal, then an incremental run.
  const changed = { companies: 0, deals: 0, tickets: 0, contacts: 0 };
  for (const type of ['companies', 'deals', 'tickets', 'contacts'] as const) {
    const ids = sandbox.store.ids(type);
    const step = 100;
    for (let index = 0; index < ids.length; index += step) {
      const id = ids[index]!;
      const edit =
        type === 'companies'
          ? { name: `Renamed ${id}` }
          : type === 'deals'
            ? { amount: String(1000 + index) }
            : type === 'tickets'
              ? { hs_pipeline_stage: '4', closed_date: new Date().toISOString() }
              : { lastname: `Changed${index}` };
      sandbox.store.update(type, id, edit);
      changed[type] += 1;
    }
  }
  sandbox.resetRequestLog();
  resetGc();
  const incremental = await syncScoreAndWrite(ctx, {
    tenantId,
    adapter: adapter(),
    onScoreProgress: progress('re-scored'),
  });
  // HubSpot reports every company Pulse wrote as modified (hs_lastmodifieddate moves), and its
  // search cannot leave out a client's own writes: the first incremental run re-reads them.
  const echoes = full.writeBack?.written ?? 0;
  const companiesToRead = Math.min(counts.companies, echoes + changed.companies);
  const incrementalLower =
    Math.max(1, ceil(companiesToRead, SEARCH_PAGE_SIZE)) +
    (['contacts', 'deals', 'tickets'] as const).reduce(
      (sum, type) => sum + Math.max(1, ceil(changed[type], SEARCH_PAGE_SIZE)),
      0,
    ) +
    emptyTypes.length + // one empty search per other object type
    10 + // one archived listing per object type: the only way HubSpot reports deletions
    ceil(changed.contacts, ASSOCIATION_BATCH_SIZE) +
    ceil(changed.deals, ASSOCIATION_BATCH_SIZE) +
    ceil(changed.tickets, ASSOCIATION_BATCH_SIZE) +
    1 + // owners (companies changed)
    // (no products: the catalogue is listed after full syncs only)
    ceil(incremental.writeBack?.changed ?? 0, BATCH_SIZE);
  phases.push(
    summarise(
      'incremental after 1% changed',
      sandbox,
      incremental,
      incrementalLower,
      `${Object.values(changed)
        .reduce((a, b) => a + b, 0)
        .toLocaleString(
          'en-US',
        )} records changed, ${incremental.sync.touchedAccounts} accounts touched, ${incremental.writeBack?.written ?? 0} written`,
    ),
  );

  // Phase 3: nothing changed.
  sandbox.resetRequestLog();
  resetGc();
  const idle = await syncScoreAndWrite(ctx, { tenantId, adapter: adapter() });
  // One search + one archived listing per object type, owners (the echoed companies are read); the
  // previous run's written companies echo.
  const idleLower =
    10 + 10 + 1 + Math.max(0, ceil(incremental.writeBack?.written ?? 0, SEARCH_PAGE_SIZE) - 1);
  phases.push(summarise('no change', sandbox, idle, idleLower, `${idle.writeBack?.written ?? 0} written`));

  console.log('');
  console.log(
    searchRate
      ? `Rate bound: the longer of calls / ${rateRequests} per ${rateInterval} ms and searches / ${searchRate.requests} per ${searchRate.intervalMs} ms.\n` +
          'HubSpot limits CRM search to 5 requests per second on top of the burst budget and the sandbox enforces it,\n' +
          'so a run that is mostly searches cannot go faster than that (--search-rate off: the burst budget alone).'
      : `Rate bound: calls / ${rateRequests} per ${rateInterval} ms (searches not limited: --search-rate off).`,
  );
  console.log(
    'Each phase runs through new adapters, which share the portal limiters as every adapter of one portal in a process does.\n',
  );
  console.log(
    'phase                              calls  lower bound  ratio  writes  429s   API wall  rate bound  ratio  scoring',
  );
  const wallRatios: number[] = [];
  for (const phase of phases) {
    const burstMs = (phase.calls / rateRequests) * rateInterval;
    const searchMs = searchRate ? (phase.searches / searchRate.requests) * searchRate.intervalMs : 0;
    const rateBoundMs = Math.max(burstMs, searchMs);
    wallRatios.push(phase.apiWallMs / rateBoundMs);
    console.log(
      `${phase.name.padEnd(34)} ${String(phase.calls).padStart(5)}  ${String(phase.lowerBound).padStart(11)}  ${(phase.calls / phase.lowerBound).toFixed(2).padStart(5)}  ${String(phase.writes).padStart(6)}  ${String(phase.rateLimited).padStart(4)}  ${(phase.apiWallMs / 1000).toFixed(1).padStart(8)}s  ${(rateBoundMs / 1000).toFixed(1).padStart(9)}s  ${(phase.apiWallMs / rateBoundMs).toFixed(2).padStart(5)}  ${(phase.scoreMs / 1000).toFixed(1)}s`,
    );
    console.log(
      `  ${phase.detail}; API wall = property bootstrap ${(phase.timings.fieldsMs / 1000).toFixed(1)}s + sync ${(phase.timings.syncMs / 1000).toFixed(1)}s + write-back ${(phase.timings.writeBackMs / 1000).toFixed(1)}s; major GC pauses ${(phase.gcMs / 1000).toFixed(1)}s (longest ${(phase.gcLongestMs / 1000).toFixed(1)}s, scoring included)`,
    );
    console.log(
      `  rate bound: ${phase.calls} calls / ${rateRequests} per ${rateInterval} ms = ${(burstMs / 1000).toFixed(1)}s` +
        (searchRate
          ? `; ${phase.searches} searches / ${searchRate.requests} per ${searchRate.intervalMs} ms = ${(searchMs / 1000).toFixed(1)}s`
          : `; ${phase.searches} searches, not limited`),
    );
  }
  const ok =
    phases.every((phase) => phase.calls <= phase.lowerBound * 1.1) &&
    phases[2]!.writes === 0 &&
    phases.every((phase) => phase.rateLimited === 0) &&
    wallRatios.every((ratio) => ratio <= 1.2);
  console.log(
    ok
      ? '\nTargets met: calls <= 1.10x lower bound, 0 writes when nothing changed, no 429, API wall <= 1.2x rate bound.'
      : '\nTargets NOT met (see above).',
  );
  if (!ok) process.exitCode = 1;
  await sandbox.close();
  await database.close();
  started = performance.now();
}

await main();
