import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AppContext } from '../../server/src/context';
import type { DatabaseHandle } from '../../server/src/db/connection';
import { createTestDatabase, databaseKinds } from '../../server/src/db/testing';
import { EnvError, parseEnv } from '../../server/src/env';
import { jobNames, pulseJobs, type ScoringOperations } from '../../server/src/scheduler/jobs';
import { Scheduler, type Trigger } from '../../server/src/scheduler/scheduler';
import { parseServerEnv, startServer } from '../../server/src/server';
import { ensureTenant } from '../../server/src/store/records';

/** Ticks fired by the test instead of the clock. */
function manualTrigger() {
  const schedules: { expression: string; fire: () => void; stopped: boolean }[] = [];
  const trigger: Trigger = (expression, fire) => {
    const schedule = { expression, fire, stopped: false };
    schedules.push(schedule);
    return {
      stop: () => {
        schedule.stopped = true;
      },
    };
  };
  return {
    trigger,
    expressions: () => schedules.map((schedule) => schedule.expression),
    tick(expression: string) {
      for (const schedule of schedules)
        if (schedule.expression === expression && !schedule.stopped) schedule.fire();
    },
  };
}

function deferred() {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('Scheduler', () => {
  it('skips a tick that arrives while the previous run of the same job is still going', async () => {
    const clock = manualTrigger();
    const gate = deferred();
    let runs = 0;
    const log: string[] = [];
    const scheduler = new Scheduler(
      [
        {
          name: 'slow',
          expression: '0 * * * *',
          run: async () => {
            runs += 1;
            await gate.promise;
          },
        },
      ],
      { trigger: clock.trigger, log: (line) => log.push(line) },
    );
    scheduler.start();
    clock.tick('0 * * * *');
    clock.tick('0 * * * *');
    expect(runs).toBe(1);
    expect(log).toContain('slow: previous run still going, tick skipped');
    gate.resolve();
    await scheduler.stop();
    expect(scheduler.isRunning('slow')).toBe(false);
  });

  it('runs again on the next tick after a failed run, logging the failure', async () => {
    const clock = manualTrigger();
    let runs = 0;
    const log: string[] = [];
    const scheduler = new Scheduler(
      [
        {
          name: 'flaky',
          expression: '* * * * *',
          run: async () => {
            runs += 1;
            if (runs === 1) throw new Error('database away');
          },
        },
      ],
      { trigger: clock.trigger, log: (line) => log.push(line) },
    );
    expect(await scheduler.runJob('flaky')).toBe('failed');
    expect(log).toContain('flaky failed: database away');
    expect(await scheduler.runJob('flaky')).toBe('completed');
    expect(runs).toBe(2);
  });

  it('stop() waits for the run in flight and no tick starts a run afterwards', async () => {
    const clock = manualTrigger();
    const gate = deferred();
    let finished = 0;
    let runs = 0;
    const scheduler = new Scheduler(
      [
        {
          name: 'job',
          expression: '* * * * *',
          run: async () => {
            runs += 1;
            await gate.promise;
            finished += 1;
          },
        },
      ],
      { trigger: clock.trigger },
    );
    scheduler.start();
    clock.tick('* * * * *');
    let stopped = false;
    const stopping = scheduler.stop().then(() => {
      stopped = true;
    });
    await Promise.resolve();
    expect(stopped).toBe(false);
    gate.resolve();
    await stopping;
    expect(finished).toBe(1);
    clock.tick('* * * * *');
    expect(await scheduler.runJob('job')).toBe('skipped');
    expect(runs).toBe(1);
  });
});

describe.each(databaseKinds)('Pulse scheduled jobs on %s', (kind) => {
  let database: DatabaseHandle;
  let context: AppContext;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await ensureTenant(database.db, { crm: 'demo', externalId: 'one', name: 'One' });
    await ensureTenant(database.db, { crm: 'hubspot', externalId: '42', name: 'Two' });
    context = {
      db: database.db,
      dbKind: database.kind,
      env: parseEnv({ PULSE_SCORE_CRON: '*/15 * * * *' }),
      now: () => new Date('2026-11-20T12:00:00Z'),
    };
  });
  afterAll(async () => {
    await database?.close();
  });

  function recordingOperations(failFor?: string) {
    const calls: string[] = [];
    const operations: ScoringOperations = {
      recomputeTenant: async (_context, tenantId) => {
        calls.push(`tenant ${tenantId}`);
        if (tenantId === failFor) throw new Error('bad config');
      },
      recomputeQueued: async () => {
        calls.push('queued');
      },
      purgeRetention: async () => {
        calls.push('retention');
      },
    };
    return { calls, operations };
  }

  it('schedules the tenant recompute on PULSE_SCORE_CRON, queued accounts every minute, retention daily', async () => {
    const clock = manualTrigger();
    const { calls, operations } = recordingOperations();
    const scheduler = new Scheduler(
      pulseJobs(context, async () => operations),
      { trigger: clock.trigger },
    );
    scheduler.start();
    expect(clock.expressions()).toEqual(['*/15 * * * *', '* * * * *', '17 3 * * *']);
    await scheduler.runJob(jobNames.recomputeAll);
    await scheduler.runJob(jobNames.recomputeQueued);
    await scheduler.runJob(jobNames.retention);
    expect(calls).toEqual(['tenant demo:one', 'tenant hubspot:42', 'queued', 'retention']);
    await scheduler.stop();
  });

  it('recomputes the other tenants when one fails, and reports the failure', async () => {
    const { calls, operations } = recordingOperations('demo:one');
    const log: string[] = [];
    const scheduler = new Scheduler(
      pulseJobs(
        context,
        async () => operations,
        (line) => log.push(line),
      ),
      {
        log: (line) => log.push(line),
        trigger: manualTrigger().trigger,
      },
    );
    expect(await scheduler.runJob(jobNames.recomputeAll)).toBe('failed');
    expect(calls).toEqual(['tenant demo:one', 'tenant hubspot:42']);
    expect(log.join('\n')).toMatch(/1 of 2 tenants failed \(demo:one: bad config\)/);
  });

  it('runs with the server: a tick recomputes, and close() waits for the running job', async () => {
    const clock = manualTrigger();
    const gate = deferred();
    const calls: string[] = [];
    const server = await startServer({
      env: parseEnv({ PORT: '0' }),
      database,
      scheduler: clock.trigger,
      log: () => undefined,
      operations: async () => ({
        recomputeTenant: async (_context, tenantId) => {
          calls.push(tenantId);
          await gate.promise;
        },
        recomputeQueued: async () => undefined,
        purgeRetention: async () => undefined,
      }),
    });
    clock.tick('0 * * * *');
    await new Promise((resolve) => setImmediate(resolve));
    expect(server.scheduler?.isRunning(jobNames.recomputeAll)).toBe(true);
    let closed = false;
    const closing = server.close().then(() => {
      closed = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(false);
    gate.resolve();
    await closing;
    expect(calls).toEqual(['demo:one', 'hubspot:42']);
  });
});

describe('server environment', () => {
  it('lists every invalid variable in one error, the cron expression included', () => {
    let error: unknown;
    try {
      parseServerEnv({ DATABASE_URL: 'mysql://db', PORT: 'eighty', PULSE_SCORE_CRON: 'every hour' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EnvError);
    const problems = (error as EnvError).problems;
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(
      /DATABASE_URL.*\n.*PORT.*\n.*PULSE_SCORE_CRON: "every hour" is not a valid cron/,
    );
  });
});
