import {
  Flex,
  Heading,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
} from '@hubspot/ui-extensions';
import type { StoredScore } from '@pulse/shared/api/health';

import { formatDate, formatScore, formatSigned } from '../../shared/format';

/** Per factor: its 0-100 value, the points it contributed, why, and how fresh its data is. */
export function FactorBreakdown({ health }: { health: StoredScore['health'] }) {
  const drivers = [...health.drivers.up, ...health.drivers.down];
  return (
    <Flex direction="column" gap="sm">
      <Heading>Why this score</Heading>
      <Table bordered={false} density="condensed">
        <TableHead>
          <TableHeader>Factor</TableHeader>
          <TableHeader>Score</TableHeader>
          <TableHeader>Points</TableHeader>
          <TableHeader>Why</TableHeader>
          <TableHeader>As of</TableHeader>
        </TableHead>
        <TableBody>
          {health.factors.map((factor) => (
            <TableRow key={factor.key}>
              <TableCell>
                {factor.label} ({factor.weight}%)
              </TableCell>
              <TableCell>{formatScore(factor.value)}</TableCell>
              <TableCell>{factor.value === null ? 'excluded' : factor.points.toFixed(1)}</TableCell>
              <TableCell>
                {factor.value === null ? `No data: ${factor.explanation}` : factor.explanation}
              </TableCell>
              <TableCell>{formatDate(factor.asOf)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {drivers.length > 0 ? (
        <Text variant="microcopy" testId="drivers">
          Since the last score:{' '}
          {drivers.map((driver) => `${driver.label} ${formatSigned(driver.pointsChange)} pts`).join(', ')}
        </Text>
      ) : null}
    </Flex>
  );
}
