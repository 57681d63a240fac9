/** Every request the sandbox answered, so tests and benchmarks can count calls. */

export interface RecordedRequest {
  method: string;
  path: string;
  /** The route with ids replaced: `GET /crm/v3/objects/companies/{id}`, `POST /crm/v3/objects/deals/search`. */
  route: string;
  status: number;
  /** ISO time the request arrived, and how long the answer took. */
  at: string;
  durationMs: number;
  portalId: number;
}

export class RequestLog {
  readonly entries: RecordedRequest[] = [];

  record(entry: RecordedRequest): void {
    this.entries.push(entry);
  }

  reset(): void {
    this.entries.length = 0;
  }

  /** Counts per route, optionally only of one status class (e.g. 429s). */
  countByRoute(filter: (entry: RecordedRequest) => boolean = () => true): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const entry of this.entries) {
      if (!filter(entry)) continue;
      counts[entry.route] = (counts[entry.route] ?? 0) + 1;
    }
    return counts;
  }

  count(filter: (entry: RecordedRequest) => boolean = () => true): number {
    let total = 0;
    for (const entry of this.entries) if (filter(entry)) total++;
    return total;
  }
}
