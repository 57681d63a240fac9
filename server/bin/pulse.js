#!/usr/bin/env -S node --max-semi-space-size=16
// Runs the TypeScript CLI through tsx so there is no build step between a clone and `pulse`.
// --max-semi-space-size=16: with V8's default young generation (and the pages it keeps pooled), a
// 100k-account recompute peaked at 1,060 MiB RSS, with this one at 868 MiB. The npm scripts and
// bench:score pass the same flag.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
