import cron from 'node-cron';

/**
 * Runs Pulse's periodic jobs. A job never overlaps itself: a tick that arrives while the previous
 * run is still going is skipped (the next tick catches up). Cross-process exclusion (two servers on
 * one database) is the job's own business: recompute takes an advisory lock per tenant.
 *
 * The trigger is injected so tests fire ticks by hand instead of waiting for the clock.
 */

export interface ScheduledJob {
  name: string;
  /** Cron expression (node-cron syntax, 5 or 6 fields). */
  expression: string;
  run: () => Promise<void>;
}

/** Calls `fire` on every tick of `expression` until stopped. */
export type Trigger = (expression: string, fire: () => void) => { stop: () => void };

export const cronTrigger: Trigger = (expression, fire) => {
  const task = cron.schedule(expression, fire);
  return {
    stop: () => {
      void task.destroy();
    },
  };
};

export function isValidCron(expression: string): boolean {
  return cron.validate(expression);
}

export type RunOutcome = 'completed' | 'failed' | 'skipped';

export interface SchedulerOptions {
  trigger?: Trigger;
  log?: (line: string) => void;
  /** For run durations in the log. */
  now?: () => Date;
}

export class Scheduler {
  private readonly running = new Map<string, Promise<RunOutcome>>();
  private stopTriggers: (() => void)[] = [];
  private readonly trigger: Trigger;
  private readonly log: (line: string) => void;
  private readonly now: () => Date;
  private stopped = false;

  constructor(
    readonly jobs: readonly ScheduledJob[],
    options: SchedulerOptions = {},
  ) {
    this.trigger = options.trigger ?? cronTrigger;
    this.log = options.log ?? (() => undefined);
    this.now = options.now ?? (() => new Date());
  }

  start(): void {
    if (this.stopped) throw new Error('A stopped scheduler cannot be restarted');
    for (const job of this.jobs) {
      const handle = this.trigger(job.expression, () => {
        void this.runJob(job.name);
      });
      this.stopTriggers.push(handle.stop);
    }
  }

  isRunning(name: string): boolean {
    return this.running.has(name);
  }

  /** Runs a job now unless its previous run is still going. Never throws: failures are logged. */
  runJob(name: string): Promise<RunOutcome> {
    const job = this.jobs.find((candidate) => candidate.name === name);
    if (!job) throw new Error(`No scheduled job "${name}"`);
    if (this.stopped) return Promise.resolve('skipped');
    if (this.running.has(name)) {
      this.log(`${name}: previous run still going, tick skipped`);
      return Promise.resolve('skipped');
    }
    const startedAt = this.now().getTime();
    const run = job
      .run()
      .then(
        (): RunOutcome => 'completed',
        (error: unknown): RunOutcome => {
          this.log(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
          return 'failed';
        },
      )
      .then((outcome) => {
        this.running.delete(name);
        if (outcome === 'completed') this.log(`${name} done in ${this.now().getTime() - startedAt} ms`);
        return outcome;
      });
    this.running.set(name, run);
    return run;
  }

  /** No new runs start; resolves once the runs in flight have finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const stop of this.stopTriggers) stop();
    this.stopTriggers = [];
    await Promise.all(this.running.values());
  }
}
