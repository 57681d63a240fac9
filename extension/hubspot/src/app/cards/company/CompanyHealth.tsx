import {
  Button,
  Divider,
  EmptyState,
  ErrorState,
  Flex,
  LoadingSpinner,
  Text,
  useExtensionActions,
  useExtensionContext,
} from '@hubspot/ui-extensions';
import type { CompanyCardResponse } from '@pulse/shared/api/hubspot-app';
import { useCallback, useEffect, useState } from 'react';

import { messageOf, PulseApiError, type PulseClient } from '../../shared/pulse-client';
import { FactorBreakdown } from './FactorBreakdown';
import { OpenFlags } from './OpenFlags';
import { Recommendations } from './Recommendations';
import { ScoreOverview } from './ScoreOverview';

type CardState =
  | { kind: 'loading' }
  | { kind: 'failed'; error: unknown }
  | { kind: 'loaded'; card: CompanyCardResponse };

/** The company record tab: the explained score, its history, flags, recommendations and renewal. */
export function CompanyHealth({ client, now = () => new Date() }: { client: PulseClient; now?: () => Date }) {
  const context = useExtensionContext<'crm.record.tab'>();
  const actions = useExtensionActions<'crm.record.tab'>();
  const companyId = String(context.crm.objectId);
  const [state, setState] = useState<CardState>({ kind: 'loading' });

  const load = useCallback(async () => {
    setState({ kind: 'loading' });
    try {
      setState({ kind: 'loaded', card: await client.companyCard(companyId) });
    } catch (error) {
      setState({ kind: 'failed', error });
    }
  }, [client, companyId]);

  useEffect(() => {
    void load();
  }, [load]);

  if (state.kind === 'loading') return <LoadingSpinner label="Loading Pulse health…" layout="centered" />;
  if (state.kind === 'failed') {
    if (state.error instanceof PulseApiError && state.error.code === 'NOT_FOUND') {
      return (
        <EmptyState title="Not in Pulse yet" imageName="companies" layout="vertical">
          <Text>{state.error.message}. Pulse picks up new companies on its next sync.</Text>
        </EmptyState>
      );
    }
    return (
      <ErrorState title="Pulse health couldn't load">
        <Text>{messageOf(state.error)}</Text>
        <Button onClick={() => void load()}>Try again</Button>
      </ErrorState>
    );
  }
  const { card } = state;
  if (card.status === 'not_scored') {
    return (
      <EmptyState title="Not scored yet" imageName="emptyStateCharts" layout="vertical">
        <Text>
          Pulse has synced {card.account.name} but has not scored it yet. Scores are recomputed every hour.
        </Text>
      </EmptyState>
    );
  }
  return (
    <Flex direction="column" gap="md">
      <ScoreOverview score={card.score} history={card.history} now={now()} />
      <Divider />
      <FactorBreakdown health={card.score.health} />
      <Divider />
      <OpenFlags client={client} initialFlags={card.flags} addAlert={actions.addAlert} />
      <Divider />
      <Recommendations
        client={client}
        accountId={card.account.id}
        addAlert={actions.addAlert}
        refreshProperties={actions.refreshObjectProperties}
      />
    </Flex>
  );
}
