/**
 * A short seeded run of the signaling fuzzer (test-support/fuzz.ts; `npm run fuzz` runs a million):
 * malformed and adversarial frames from many sockets, in and out of meetings, while meeting A runs.
 * Nothing crashes, nothing answers `internal`, and A's participants see nothing of it.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fuzzPassed, inProcessTarget, runFuzz } from '../test-support/fuzz.js';
import { startTestServer, type TestServer } from '../test-support/server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer({ resumeSeconds: 5 });
});
after(async () => {
  await server.close();
});

test('20,000 seeded adversarial frames: no crash, no internal error, no effect on the legitimate meeting', async () => {
  const report = await runFuzz(inProcessTarget(server), { messages: 20_000, seed: 0x5eed, sockets: 100, perMeeting: 8 });
  const summary = JSON.stringify({ ...report, before: undefined, after: report.after }, null, 1);
  assert.equal(report.sent, 20_000);
  assert.equal(report.internalErrors, 0, `internal errors: ${JSON.stringify(report.internalSamples, null, 1)}`);
  assert.deepEqual(report.unexpected, [], 'meeting A saw what the fuzzers did');
  assert.ok(report.legitStillConnected, 'meeting A participants are still connected');
  assert.ok(report.bJoins > 0, 'fuzzing sockets got into their meetings');
  assert.ok(report.after.healthy && !report.serverGone, 'the server is up');
  assert.ok(!report.after.prototypePolluted, 'Object.prototype is untouched');
  assert.ok(fuzzPassed(report), summary);
});
