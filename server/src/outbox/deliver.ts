import type { Delivery } from '@pulse/shared/alerts/deliveries';

import { type CrmAdapter, CrmError } from '../crm/adapter';
import { idempotencyHeader, signatureHeader, signPulseWebhook, timestampHeader } from './signature';
import type { OutboxMessage } from './store';

/** How messages leave Pulse: HTTP for Slack and webhooks, the tenant's CRM adapter for tasks/properties. */
export interface DeliveryTransport {
  fetch: typeof fetch;
  crmAdapter(tenantId: string): Promise<CrmAdapter>;
  timeoutMs: number;
}

/** A failed delivery; `permanent` ones (the receiver rejects the request itself) are not retried. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** The JSON a webhook receiver gets; stable across retries (same id = the idempotency key). */
export function webhookBody(
  message: OutboxMessage,
  delivery: Extract<Delivery, { kind: 'webhook' }>,
): string {
  return JSON.stringify({
    id: message.idempotencyKey,
    type: delivery.event,
    createdAt: message.createdAt,
    data: delivery.data,
  });
}

export async function deliver(
  message: OutboxMessage,
  transport: DeliveryTransport,
  now: Date,
  signal: AbortSignal,
): Promise<void> {
  const delivery = message.delivery;
  switch (delivery.kind) {
    case 'slack':
      await post(
        transport,
        delivery.url,
        JSON.stringify(delivery.body),
        { 'content-type': 'application/json' },
        signal,
      );
      return;
    case 'webhook': {
      const body = webhookBody(message, delivery);
      const timestamp = Math.floor(now.getTime() / 1000);
      await post(
        transport,
        delivery.url,
        body,
        {
          'content-type': 'application/json',
          'user-agent': 'Pulse-Webhooks/1',
          [signatureHeader]: signPulseWebhook(delivery.secret, timestamp, body),
          [timestampHeader]: String(timestamp),
          [idempotencyHeader]: message.idempotencyKey,
        },
        signal,
      );
      return;
    }
    case 'crm_task':
      await viaCrm(async () => {
        const adapter = await transport.crmAdapter(message.tenantId);
        await adapter.createTask(delivery.task);
      });
      return;
    case 'crm_property':
      await viaCrm(async () => {
        const adapter = await transport.crmAdapter(message.tenantId);
        const result = await adapter.writeAccountProperties([delivery.update]);
        if (result.failed.length > 0)
          throw new DeliveryError(
            `CRM rejected the property update: ${JSON.stringify(result.failed).slice(0, 500)}`,
            true,
          );
      });
      return;
  }
}

async function post(
  transport: DeliveryTransport,
  url: string,
  body: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<void> {
  let response: Response;
  try {
    response = await transport.fetch(url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.any([signal, AbortSignal.timeout(transport.timeoutMs)]),
    });
  } catch (error) {
    throw new DeliveryError(
      `POST ${url} failed: ${error instanceof Error ? error.message : String(error)}`,
      false,
    );
  }
  const text = await response.text().catch(() => '');
  if (response.ok) return;
  // A 4xx other than timeout/rate limit means the receiver refuses this request: retrying will not help.
  const permanent =
    response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429;
  throw new DeliveryError(`POST ${url} answered ${response.status}: ${text.slice(0, 300)}`, permanent);
}

async function viaCrm(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof DeliveryError) throw error;
    if (error instanceof CrmError) {
      const permanent =
        error.code === 'INVALID' || error.code === 'NOT_FOUND' || error.code === 'INSUFFICIENT_SCOPE';
      throw new DeliveryError(`CRM ${error.code}: ${error.message}`, permanent);
    }
    throw new DeliveryError(error instanceof Error ? error.message : String(error), false);
  }
}
