import {
  Alert,
  Button,
  DescriptionList,
  DescriptionListItem,
  EmptyState,
  ErrorState,
  Flex,
  LoadingSpinner,
  Tag,
  Text,
  useExtensionContext,
} from '@hubspot/ui-extensions';
import type { RecordSummaryResponse } from '@pulse/shared/api/hubspot-app';
import { useCallback, useEffect, useState } from 'react';

import { formatDate, formatScore, formatSigned, tierVariant } from '../../shared/format';
import { messageOf, PulseApiError, type PulseClient } from '../../shared/pulse-client';

/** HubSpot object type ids: https://developers.hubspot.com/docs/api/crm/understanding-the-crm#object-type-ids */
const TICKET_TYPE_ID = '0-5';

type SummaryState =
  | { kind: 'loading' }
  | { kind: 'failed'; error: unknown }
  | { kind: 'loaded'; summary: RecordSummaryResponse };

/** The compact sidebar card on deals and tickets: the associated company's health at a glance. */
export function RecordHealth({ client }: { client: PulseClient }) {
  const context = useExtensionContext<'crm.record.sidebar'>();
  const recordId = String(context.crm.objectId);
  const isTicket = context.crm.objectTypeId === TICKET_TYPE_ID;
  const [state, setState] = useState<SummaryState>({ kind: 'loading' });

  const load = useCallback(async () => {
    setState({ kind: 'loading' });
    try {
      const summary = isTicket ? await client.ticketCard(recordId) : await client.dealCard(recordId);
      setState({ kind: 'loaded', summary });
    } catch (error) {
      setState({ kind: 'failed', error });
    }
  }, [client, recordId, isTicket]);

  useEffect(() => {
    void load();
  }, [load]);

  if (state.kind === 'loading') return <LoadingSpinner label="Loading customer health…" size="sm" />;
  if (state.kind === 'failed') {
    if (state.error instanceof PulseApiError && state.error.code === 'NOT_FOUND') {
      return <Text variant="microcopy">{state.error.message}.</Text>;
    }
    return (
      <ErrorState title="Customer health couldn't load">
        <Text>{messageOf(state.error)}</Text>
        <Button size="sm" onClick={() => void load()}>
          Try again
        </Button>
      </ErrorState>
    );
  }
  const { summary } = state;
  if (summary.status === 'no_company') {
    return (
      <EmptyState title="No company" layout="vertical" imageWidth={80}>
        <Text>Associate this {isTicket ? 'ticket' : 'deal'} with a company to see its Pulse health.</Text>
      </EmptyState>
    );
  }
  if (summary.status === 'not_scored') {
    return <Text>{summary.account.name} is not scored by Pulse yet.</Text>;
  }
  return (
    <Flex direction="column" gap="xs">
      <Flex direction="row" gap="sm" align="center">
        <Text format={{ fontWeight: 'bold' }} testId="summary-score">
          {summary.account.name}: {formatScore(summary.score)}
        </Text>
        <Tag variant={tierVariant(summary.tier)}>{summary.tierLabel ?? 'No tier'}</Tag>
      </Flex>
      {summary.lowCoverage ? (
        <Alert title="Low data coverage" variant="warning">
          Only {Math.round(summary.coverage)}% of the score is backed by data.
        </Alert>
      ) : null}
      <DescriptionList direction="column">
        <DescriptionListItem label="30-day change">
          <Text>{summary.trend30d === null ? '—' : formatSigned(summary.trend30d)}</Text>
        </DescriptionListItem>
        <DescriptionListItem label="Churn risk">
          <Text>{formatScore(summary.churnRisk)}</Text>
        </DescriptionListItem>
        <DescriptionListItem label="Open flags">
          <Text>{String(summary.openFlags)}</Text>
        </DescriptionListItem>
        <DescriptionListItem label="Next renewal">
          <Text>{formatDate(summary.nextRenewalDate)}</Text>
        </DescriptionListItem>
        <DescriptionListItem label="Top recommendation">
          <Text>
            {summary.topRecommendation
              ? `${summary.topRecommendation.productName} (${Math.round(summary.topRecommendation.score)})`
              : 'None'}
          </Text>
        </DescriptionListItem>
      </DescriptionList>
    </Flex>
  );
}
