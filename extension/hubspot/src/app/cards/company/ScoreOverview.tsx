import {
  Alert,
  Flex,
  Heading,
  LineChart,
  ScoreCircle,
  Statistics,
  StatisticsItem,
  StatisticsTrend,
  Tag,
  Text,
} from '@hubspot/ui-extensions';
import type { StoredScore } from '@pulse/shared/api/health';
import type { CompanyCardResponse } from '@pulse/shared/api/hubspot-app';

import { daysUntil, formatDate, formatScore, formatSigned, tierVariant } from '../../shared/format';

type History = Extract<CompanyCardResponse, { status: 'scored' }>['history'];

export function ScoreOverview({ score, history, now }: { score: StoredScore; history: History; now: Date }) {
  const { health } = score;
  const points = history
    .filter((point) => point.score !== null)
    .map((point) => ({ date: point.computedAt, score: Math.round(point.score!) }));
  return (
    <Flex direction="column" gap="sm">
      <Flex direction="row" gap="md" align="center">
        {health.score === null ? (
          <Text format={{ fontWeight: 'bold' }}>No score: no factor has data yet</Text>
        ) : (
          <ScoreCircle score={Math.round(health.score)} testId="health-score" />
        )}
        <Flex direction="column" gap="xs">
          <Tag variant={tierVariant(health.tier)} testId="health-tier">
            {health.tierLabel ?? 'No tier'}
          </Tag>
          <Text variant="microcopy">Scored {formatDate(score.computedAt)}</Text>
        </Flex>
      </Flex>
      {health.lowCoverage ? (
        <Alert title="Low data coverage" variant="warning" testId="low-coverage">
          Only {Math.round(health.coverage)}% of the score's weight is backed by data. Factors without data
          are left out, not counted as zero, so treat this score with care.
        </Alert>
      ) : null}
      <Statistics>
        <StatisticsItem label="Data coverage" number={`${Math.round(health.coverage)}%`} />
        <StatisticsItem
          label="30-day change"
          number={score.trend30d === null ? '—' : formatSigned(score.trend30d)}
          testId="trend-30d"
        >
          {score.trend30d ? (
            <StatisticsTrend
              direction={score.trend30d > 0 ? 'increase' : 'decrease'}
              color={score.trend30d > 0 ? 'green' : 'red'}
              value={String(Math.abs(Math.round(score.trend30d * 10) / 10))}
            />
          ) : null}
        </StatisticsItem>
        <StatisticsItem label="Churn risk" number={formatScore(score.churnRisk.value)} />
        <StatisticsItem label="Next renewal" number={score.nextRenewalDate ?? 'None'} testId="next-renewal">
          {score.nextRenewalDate ? (
            <Text variant="microcopy">in {daysUntil(score.nextRenewalDate, now)} days</Text>
          ) : null}
        </StatisticsItem>
      </Statistics>
      <Text variant="microcopy">{score.churnRisk.explanation}</Text>
      <Heading>Score history</Heading>
      {points.length >= 2 ? (
        <LineChart
          data={points}
          axes={{
            x: { field: 'date', fieldType: 'datetime', label: 'Scored' },
            y: { field: 'score', fieldType: 'linear', label: 'Health score' },
          }}
          options={{ showLegend: false, showTooltips: true }}
        />
      ) : (
        <Text variant="microcopy">Not enough scorings yet for a history line.</Text>
      )}
    </Flex>
  );
}
