import {
  Alert,
  Flex,
  Link,
  LoadingSpinner,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Tag,
  Text,
  useExtensionContext,
} from '@hubspot/ui-extensions';
import type { RenewalList } from '@pulse/shared/api/renewals';
import { useEffect, useState } from 'react';

import { bandVariant, formatMoney, hubspotRecordUrl } from '../shared/format';
import { messageOf, type PulseClient } from '../shared/pulse-client';

const windows = [30, 60, 90, 180] as const;
type Window = (typeof windows)[number];
type Renewal = RenewalList['renewals'][number];
type SortColumn = 'account' | 'product' | 'mrr' | 'renewalDate' | 'daysLeft' | 'owner';
type Direction = 'ascending' | 'descending';

const COMPANY_TYPE_ID = '0-2';

const sortValue: Record<SortColumn, (renewal: Renewal) => string | number> = {
  account: (renewal) => renewal.accountName.toLowerCase(),
  product: (renewal) => renewal.productName.toLowerCase(),
  mrr: (renewal) => renewal.mrr,
  renewalDate: (renewal) => renewal.renewalDate,
  daysLeft: (renewal) => renewal.daysLeft,
  owner: (renewal) => (renewal.ownerName ?? '').toLowerCase(),
};

function sorted(renewals: Renewal[], column: SortColumn, direction: Direction): Renewal[] {
  const sign = direction === 'ascending' ? 1 : -1;
  return [...renewals].sort((left, right) => {
    const a = sortValue[column](left);
    const b = sortValue[column](right);
    return a < b ? -sign : a > b ? sign : 0;
  });
}

/** Tab 3: every subscription renewal due within 30/60/90/180 days (overdue ones always included). */
export function RenewalsTab({ client, now }: { client: PulseClient; now: () => Date }) {
  const context = useExtensionContext<'settings'>();
  const [within, setWithin] = useState<Window>(90);
  const [list, setList] = useState<RenewalList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sort, setSort] = useState<{ column: SortColumn; direction: Direction }>({
    column: 'renewalDate',
    direction: 'ascending',
  });

  useEffect(() => {
    let current = true;
    setList(null);
    setError(null);
    client
      .renewals(within)
      .then((result) => current && setList(result))
      .catch((failure: unknown) => current && setError(messageOf(failure)));
    return () => {
      current = false;
    };
  }, [client, within]);

  const header = (column: SortColumn, label: string) => (
    <TableHeader
      sortDirection={sort.column === column ? sort.direction : 'none'}
      onSortChange={(direction) =>
        setSort({ column, direction: direction === 'descending' ? 'descending' : 'ascending' })
      }
    >
      {label}
    </TableHeader>
  );

  return (
    <Flex direction="column" gap="md">
      <Select
        label="Renewing within"
        name="within"
        value={within}
        options={windows.map((days) => ({ label: `${days} days`, value: days }))}
        onChange={(value) => setWithin(Number(value) as Window)}
      />
      {error ? (
        <Alert title="Renewals couldn't load" variant="error">
          {error}
        </Alert>
      ) : null}
      {!list && !error ? <LoadingSpinner label="Loading renewals…" /> : null}
      {list ? (
        <>
          <Text testId="renewal-totals">
            {list.totals.count} renewals, {formatMoney(list.totals.mrr)} MRR (as of{' '}
            {now().toISOString().slice(0, 10)})
          </Text>
          <Table bordered density="condensed">
            <TableHead>
              {header('account', 'Account')}
              {header('product', 'Product')}
              {header('mrr', 'MRR')}
              {header('renewalDate', 'Renewal date')}
              {header('daysLeft', 'Days left')}
              <TableHeader>Auto-renew</TableHeader>
              {header('owner', 'Owner')}
            </TableHead>
            <TableBody>
              {sorted(list.renewals, sort.column, sort.direction).map((renewal) => (
                <TableRow key={renewal.subscriptionId}>
                  <TableCell>
                    <Link href={hubspotRecordUrl(context.portal.id, COMPANY_TYPE_ID, renewal.accountId)}>
                      {renewal.accountName}
                    </Link>
                  </TableCell>
                  <TableCell>{renewal.productName}</TableCell>
                  <TableCell>{formatMoney(renewal.mrr)}</TableCell>
                  <TableCell>{renewal.renewalDate}</TableCell>
                  <TableCell>
                    <Tag variant={bandVariant(renewal.band)}>
                      {renewal.daysLeft < 0 ? `${-renewal.daysLeft} overdue` : String(renewal.daysLeft)}
                    </Tag>
                  </TableCell>
                  <TableCell>{renewal.autoRenew ? 'Yes' : 'No'}</TableCell>
                  <TableCell>{renewal.ownerName ?? 'Unassigned'}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {list.renewals.length === 0 ? (
            <Text variant="microcopy">No renewals in the next {within} days.</Text>
          ) : null}
        </>
      ) : null}
    </Flex>
  );
}
