/**
 * Must be imported first. zod 4 compiles validators with `new Function` when it can; under Parley's
 * CSP (no 'unsafe-eval') that probe fails and is reported as a violation. Interpret instead.
 */
import { config } from 'zod';

config({ jitless: true });
