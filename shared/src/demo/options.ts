import { z } from 'zod';

/** Knobs of the demo portfolio; see docs/demo-data.md. */
export const DemoPortfolioOptions = z.object({
  /** Any integer; the same seed always yields the same portfolio. */
  seed: z.number().int(),
  accounts: z.number().int().nonnegative().max(10_000_000),
  tenantId: z.string().min(1),
  /** The moment the portfolio is generated "as of": every timestamp is at or before it. */
  now: z.date({ error: 'must be a valid Date' }),
  /** Days of daily usage ending at `now` (default 540, i.e. 18 months); 0 disables usage. */
  usageDays: z.number().int().nonnegative().max(3660).default(540),
});
export type DemoPortfolioOptions = z.input<typeof DemoPortfolioOptions>;
export type ResolvedDemoPortfolioOptions = z.output<typeof DemoPortfolioOptions>;

/** Validates options, throwing one error that names every bad field. */
export function parseDemoPortfolioOptions(options: DemoPortfolioOptions): ResolvedDemoPortfolioOptions {
  const result = DemoPortfolioOptions.safeParse(options);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${issue.path.join('.') || 'options'}: ${issue.message}`,
  );
  throw new Error(`Invalid demo portfolio options: ${problems.join('; ')}`);
}
