import { Button, ButtonRow, Flex, Heading, Tag, Text, Tile } from '@hubspot/ui-extensions';
import type { FlagItem } from '@pulse/shared/api/flags';
import { useRef, useState } from 'react';

import { severityVariant } from '../../shared/format';
import { messageOf, type PulseClient } from '../../shared/pulse-client';

type AddAlert = (alert: {
  type?: 'info' | 'warning' | 'success' | 'danger' | 'tip';
  message: string;
  title?: string;
}) => void;

/** Open and acknowledged churn flags; Resolve closes one, Acknowledge keeps it visible as "not actioned". */
export function OpenFlags({
  client,
  initialFlags,
  addAlert,
}: {
  client: PulseClient;
  initialFlags: FlagItem[];
  addAlert: AddAlert;
}) {
  const [flags, setFlags] = useState(initialFlags);
  const [busy, setBusy] = useState<string | null>(null);
  // A ref, not state: two clicks in the same frame must not both reach the server.
  const inFlight = useRef(new Set<string>());

  const act = async (flag: FlagItem, action: 'resolve' | 'acknowledge') => {
    if (inFlight.current.has(flag.id)) return;
    inFlight.current.add(flag.id);
    setBusy(flag.id);
    try {
      const updated =
        action === 'resolve' ? await client.resolveFlag(flag.id) : await client.acknowledgeFlag(flag.id);
      setFlags((current) =>
        updated.status === 'resolved'
          ? current.filter((item) => item.id !== flag.id)
          : current.map((item) => (item.id === flag.id ? updated : item)),
      );
      addAlert({
        type: 'success',
        message: action === 'resolve' ? `Resolved "${flag.title}"` : `Acknowledged "${flag.title}"`,
      });
    } catch (error) {
      addAlert({ type: 'danger', title: `Could not ${action} the flag`, message: messageOf(error) });
    } finally {
      inFlight.current.delete(flag.id);
      setBusy(null);
    }
  };

  return (
    <Flex direction="column" gap="sm">
      <Heading>Open flags ({flags.length})</Heading>
      {flags.length === 0 ? <Text variant="microcopy">No open churn flags.</Text> : null}
      {flags.map((flag) => (
        <Tile key={flag.id} compact testId={`flag-${flag.id}`}>
          <Flex direction="column" gap="xs">
            <Flex direction="row" gap="sm" align="center">
              <Tag variant={severityVariant(flag.severity)}>{flag.severity}</Tag>
              <Text format={{ fontWeight: 'bold' }}>{flag.title}</Text>
              {flag.status === 'acknowledged' ? (
                <Tag variant="default">Acknowledged, not actioned</Tag>
              ) : null}
            </Flex>
            <Text variant="microcopy">Recommended: {flag.recommendedAction}</Text>
            <ButtonRow>
              <Button
                size="sm"
                variant="primary"
                disabled={busy === flag.id}
                onClick={() => void act(flag, 'resolve')}
                testId={`resolve-${flag.id}`}
              >
                Resolve
              </Button>
              {flag.status === 'open' ? (
                <Button
                  size="sm"
                  disabled={busy === flag.id}
                  onClick={() => void act(flag, 'acknowledge')}
                  testId={`acknowledge-${flag.id}`}
                >
                  Acknowledge
                </Button>
              ) : null}
            </ButtonRow>
          </Flex>
        </Tile>
      ))}
    </Flex>
  );
}
