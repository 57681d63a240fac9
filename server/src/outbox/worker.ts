import { randomUUID } from 'node:crypto';

import type { AppContext } from '../context';
import type { CrmAdapter } from '../crm/adapter';
import { getCrmAdapter } from '../crm/registry';
import { writeAudit } from '../store/audit';
import { DeliveryError, type DeliveryTransport, deliver } from './deliver';
import { claimDue, markDelivered, markFailed, type OutboxMessage } from './store';

/**
 * Delivers outbox messages: claim a batch, send each, record the outcome, repeat while work is due.
 * At-least-once: a message is marked delivered only after the receiver accepted it, so a crash
 * between the two re-sends it (with the same idempotency key) once its lease runs out.
 */
export interface OutboxWorkerOptions {
  workerId?: string;
  /** How often to look for due messages when idle (default 2 s). */
  pollMs?: number;
  batchSize?: number;
  /** How long a claim holds before another worker may take the message over (default 5 min). */
  leaseMs?: number;
  /** Attempts before a message becomes a dead letter (default 8). */
  maxAttempts?: number;
  /** Back-off after failure n: min(maxBackoffMs, baseBackoffMs × 2^(n−1)). */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  timeoutMs?: number;
  now?: () => Date;
  fetch?: typeof fetch;
  crmAdapter?: (tenantId: string) => Promise<CrmAdapter>;
  log?: (line: string) => void;
}

export interface PassResult {
  delivered: number;
  retrying: number;
  dead: number;
}

export function backoffMs(
  attempt: number,
  options: Pick<OutboxWorkerOptions, 'baseBackoffMs' | 'maxBackoffMs'>,
): number {
  const base = options.baseBackoffMs ?? 10_000;
  return Math.min(options.maxBackoffMs ?? 3_600_000, base * 2 ** Math.max(0, attempt - 1));
}

/** One pass: deliver every message due now, batch after batch. */
export async function deliverDue(
  ctx: AppContext,
  options: OutboxWorkerOptions = {},
  signal: AbortSignal = new AbortController().signal,
): Promise<PassResult> {
  const workerId = options.workerId ?? `worker-${randomUUID()}`;
  const now = options.now ?? ctx.now;
  const transport: DeliveryTransport = {
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    crmAdapter: options.crmAdapter ?? ((tenantId) => getCrmAdapter(ctx, tenantId)),
    timeoutMs: options.timeoutMs ?? 15_000,
  };
  const result: PassResult = { delivered: 0, retrying: 0, dead: 0 };
  while (!signal.aborted) {
    const batch = await claimDue(ctx.db, workerId, now(), {
      limit: options.batchSize ?? 20,
      leaseMs: options.leaseMs ?? 300_000,
    });
    if (batch.length === 0) break;
    await Promise.all(
      batch.map((message) => deliverOne(ctx, message, workerId, transport, options, signal, result)),
    );
  }
  return result;
}

async function deliverOne(
  ctx: AppContext,
  message: OutboxMessage,
  workerId: string,
  transport: DeliveryTransport,
  options: OutboxWorkerOptions,
  signal: AbortSignal,
  result: PassResult,
): Promise<void> {
  const now = options.now ?? ctx.now;
  let failure: DeliveryError | null = null;
  try {
    await deliver(message, transport, now(), signal);
  } catch (error) {
    failure = error instanceof DeliveryError ? error : new DeliveryError(String(error), false);
  }
  // A worker told to stop abandons its claims: the lease expires and another worker re-sends them.
  if (signal.aborted) return;
  const at = now();
  const summary = summarise(message);
  if (!failure) {
    if (await markDelivered(ctx.db, message, workerId, at)) {
      result.delivered++;
      await writeAudit(
        ctx.db,
        {
          tenantId: message.tenantId,
          actor: `outbox:${message.sourceType}:${message.sourceId}`,
          action: 'outbox.delivered',
          entityType: 'outbox',
          entityId: message.id,
          after: summary,
        },
        at,
      );
    }
    return;
  }
  const maxAttempts = options.maxAttempts ?? 8;
  const dead = failure.permanent || message.attempts >= maxAttempts;
  const retryAt = dead ? null : new Date(at.getTime() + backoffMs(message.attempts, options));
  if (await markFailed(ctx.db, message, workerId, at, { error: failure.message, retryAt })) {
    if (dead) {
      result.dead++;
      options.log?.(
        `outbox: ${message.id} (${message.kind}) dead after ${message.attempts} attempts: ${failure.message}`,
      );
      await writeAudit(
        ctx.db,
        {
          tenantId: message.tenantId,
          actor: 'outbox',
          action: 'outbox.dead_lettered',
          entityType: 'outbox',
          entityId: message.id,
          after: { ...summary, attempts: message.attempts, error: failure.message },
        },
        at,
      );
    } else {
      result.retrying++;
    }
  }
}

/** What the audit log keeps of a message: never the signing secret. */
function summarise(message: OutboxMessage): Record<string, unknown> {
  const delivery = message.delivery;
  const base = {
    kind: delivery.kind,
    idempotencyKey: message.idempotencyKey,
    accountId: message.accountId,
    sourceType: message.sourceType,
    sourceId: message.sourceId,
  };
  switch (delivery.kind) {
    case 'slack':
      return { ...base, url: delivery.url, text: delivery.body.text };
    case 'webhook':
      return { ...base, url: delivery.url, event: delivery.event };
    case 'crm_task':
      return { ...base, task: delivery.task };
    case 'crm_property':
      return { ...base, update: delivery.update };
  }
}

export interface OutboxWorker {
  /** Stops polling; deliveries still running after `graceMs` are abandoned (their leases expire). */
  stop(graceMs?: number): Promise<void>;
  /** Resolves after a full pass that found nothing more due (tests). */
  settle(): Promise<void>;
}

/** Polls the outbox until stopped. Survives errors (logged) so one bad pass does not stop delivery. */
export function startOutboxWorker(ctx: AppContext, options: OutboxWorkerOptions = {}): OutboxWorker {
  const workerId = options.workerId ?? `worker-${randomUUID()}`;
  const abort = new AbortController();
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<void> = Promise.resolve();
  let waiters: (() => void)[] = [];

  const tick = () => {
    timer = null;
    current = (async () => {
      try {
        await deliverDue(ctx, { ...options, workerId }, abort.signal);
      } catch (error) {
        options.log?.(`outbox: pass failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      const settled = waiters;
      waiters = [];
      for (const resolve of settled) resolve();
      if (!stopped) timer = setTimeout(tick, options.pollMs ?? 2000);
    })();
  };
  tick();

  return {
    async stop(graceMs = 10_000) {
      stopped = true;
      if (timer) clearTimeout(timer);
      const grace = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
      await Promise.race([current, grace]);
      abort.abort();
      await current;
    },
    settle() {
      return new Promise<void>((resolve) => {
        // The pass running now may have started before the caller's messages were written.
        let passes = 0;
        const wait = () => {
          waiters.push(() => {
            passes++;
            if (passes >= 2 || stopped) resolve();
            else wait();
          });
        };
        wait();
      });
    },
  };
}
