import {
  Flex,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
} from '@hubspot/ui-extensions';
import type { TierDistribution } from '@pulse/shared/api/hubspot-app';

export function DistributionTable({
  title,
  distribution,
  testId,
}: {
  title: string;
  distribution: TierDistribution;
  testId: string;
}) {
  return (
    <Flex direction="column" gap="xs" testId={testId}>
      <Text format={{ fontWeight: 'demibold' }}>
        {title}: {distribution.accounts} accounts
      </Text>
      <Table bordered={false} density="condensed">
        <TableHead>
          <TableHeader>Tier</TableHeader>
          <TableHeader>Accounts</TableHeader>
          <TableHeader>Share</TableHeader>
        </TableHead>
        <TableBody>
          {distribution.tiers.map((tier) => (
            <TableRow key={tier.key}>
              <TableCell>{tier.label}</TableCell>
              <TableCell>{String(tier.count)}</TableCell>
              <TableCell>{`${tier.share}%`}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {distribution.unscored > 0 ? (
        <Text variant="microcopy">{distribution.unscored} accounts have no data for any enabled factor.</Text>
      ) : null}
      {distribution.factorsWithoutValues.length > 0 ? (
        <Text variant="microcopy">
          Not yet scored, so not in this preview: {distribution.factorsWithoutValues.join(', ')} (they count
          after the next recompute).
        </Text>
      ) : null}
    </Flex>
  );
}
