#!/usr/bin/env node
/** `npm start`: runs Parley from environment configuration until SIGTERM or SIGINT. */
import { configFromEnv } from './config.js';
import { startParley } from './index.js';

const parley = await startParley(configFromEnv(process.env)).catch((err: unknown) => {
  console.error(`Parley could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
parley.server.http.log.info(`Parley is running at ${parley.url}`);
if (parley.setupUrl) {
  // Printed, never logged as data: the token is a one-time secret for whoever runs the server.
  console.log(`\nNo administrator yet. Open this link once to create the first one:\n\n  ${parley.setupUrl}\n\n(or run: npm run parley -- create-admin --email you@example.org --name "Your Name")\n`);
}

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    parley.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  });
}
