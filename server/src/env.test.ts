import { describe, expect, it } from 'vitest';

import { EnvError, parseEnv } from './env';

describe('parseEnv', () => {
  it('runs on embedded defaults with nothing set', () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.PORT).toBe(3000);
    expect(env.HUBSPOT_API_BASE_URL).toBe('https://api.hubapi.com');
  });

  it('lists every invalid variable in one error', () => {
    let error: unknown;
    try {
      parseEnv({ DATABASE_URL: 'mysql://x', PORT: 'eighty', PULSE_ENCRYPTION_KEY: 'short' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EnvError);
    const problems = (error as EnvError).problems.join('\n');
    expect(problems).toContain('DATABASE_URL');
    expect(problems).toContain('PORT');
    expect(problems).toContain('PULSE_ENCRYPTION_KEY');
  });
});
