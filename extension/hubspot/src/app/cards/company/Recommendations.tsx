import { Alert, Button, Flex, Heading, Link, LoadingSpinner, Tag, Text, Tile } from '@hubspot/ui-extensions';
import type { CreatedOpportunity, RecommendationItem } from '@pulse/shared/api/recommendations';
import { useEffect, useRef, useState } from 'react';

import { messageOf, type PulseClient } from '../../shared/pulse-client';

type AddAlert = (alert: {
  type?: 'info' | 'warning' | 'success' | 'danger' | 'tip';
  message: string;
  title?: string;
}) => void;

const SHOWN = 3;

/** The top 3 recommendations with one-click Create Opportunity (never twice: see `inFlight`). */
export function Recommendations({
  client,
  accountId,
  addAlert,
  refreshProperties,
}: {
  client: PulseClient;
  accountId: string;
  addAlert: AddAlert;
  refreshProperties?: () => void;
}) {
  const [items, setItems] = useState<RecommendationItem[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [created, setCreated] = useState<Record<string, CreatedOpportunity>>({});
  const [creating, setCreating] = useState<string | null>(null);
  // The server never creates a duplicate either, but a second click should not even ask.
  const inFlight = useRef(new Set<string>());

  useEffect(() => {
    let current = true;
    client
      .recommendations(accountId)
      .then((result) => current && setItems(result.recommendations.slice(0, SHOWN)))
      .catch((error: unknown) => current && setLoadError(messageOf(error)));
    return () => {
      current = false;
    };
  }, [client, accountId]);

  const create = async (item: RecommendationItem) => {
    if (inFlight.current.has(item.productId) || created[item.productId]) return;
    inFlight.current.add(item.productId);
    setCreating(item.productId);
    try {
      const deal = await client.createOpportunity(accountId, item.productId);
      setCreated((current) => ({ ...current, [item.productId]: deal }));
      addAlert({
        type: 'success',
        message: deal.created
          ? `Created deal "${deal.name}"`
          : `A deal for ${item.productName} was already open`,
      });
      // The new deal and Pulse's properties on this record changed: ask HubSpot to re-read them.
      refreshProperties?.();
    } catch (error) {
      inFlight.current.delete(item.productId);
      addAlert({ type: 'danger', title: 'Could not create the opportunity', message: messageOf(error) });
    } finally {
      setCreating(null);
    }
  };

  return (
    <Flex direction="column" gap="sm">
      <Heading>Recommended next products</Heading>
      {loadError ? (
        <Alert title="Recommendations unavailable" variant="error">
          {loadError}
        </Alert>
      ) : null}
      {items === null && !loadError ? <LoadingSpinner label="Loading recommendations…" size="sm" /> : null}
      {items?.length === 0 ? <Text variant="microcopy">No product fits this account right now.</Text> : null}
      {items?.map((item) => {
        const deal = created[item.productId];
        const open = deal ? { id: deal.id, url: deal.url } : item.openOpportunity;
        return (
          <Tile key={item.productId} compact testId={`recommendation-${item.productId}`}>
            <Flex direction="column" gap="xs">
              <Flex direction="row" gap="sm" align="center">
                <Text format={{ fontWeight: 'bold' }}>{item.productName}</Text>
                <Tag variant="info">{Math.round(item.score)} / 100</Tag>
              </Flex>
              <Text variant="microcopy">{item.explanation}</Text>
              {open ? (
                <Text testId={`deal-${item.productId}`}>
                  {deal ? `Deal "${deal.name}"` : 'An open deal exists'}
                  {open.url ? (
                    <>
                      {' '}
                      <Link href={open.url}>Open deal</Link>
                    </>
                  ) : null}
                </Text>
              ) : (
                <Button
                  variant="primary"
                  size="sm"
                  disabled={creating === item.productId}
                  onClick={() => void create(item)}
                  testId={`create-${item.productId}`}
                >
                  {creating === item.productId ? 'Creating…' : 'Create opportunity'}
                </Button>
              )}
            </Flex>
          </Tile>
        );
      })}
    </Flex>
  );
}
