/**
 * `npm run fuzz -- [--messages N] [--seed S] [--sockets K] [--no-media]`: sends N (default a
 * million) seeded malformed and adversarial signaling frames at a real Parley server (in a child
 * process) while a real meeting runs, and reports crashes, `internal` replies, what the legitimate
 * participants saw, and the server's memory. Exits non-zero if anything went wrong.
 * The generator and the run are packages/server/src/test-support/fuzz.ts.
 */
import { parseArgs } from 'node:util';
import { fuzzPassed, runFuzz } from '../packages/server/src/test-support/fuzz.js';
import { startChildServer } from './server-child.js';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '1' },
    sockets: { type: 'string', default: '300' },
    'no-media': { type: 'boolean', default: false },
  },
});
const messages = Number(values.messages);
const seed = Number(values.seed);
const sockets = Number(values.sockets);
if (!Number.isSafeInteger(messages) || messages < 1 || !Number.isSafeInteger(seed) || !Number.isSafeInteger(sockets) || sockets < 1) {
  console.error('usage: npm run fuzz -- [--messages N] [--seed S] [--sockets K] [--no-media]');
  process.exit(2);
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
// Short resume window: dropped fuzzing sockets give their place up soon. Production limits otherwise.
const server = await startChildServer({ resumeSeconds: 5, logLevel: 'silent' });
console.log(`fuzz: server pid ${server.pid} at ${server.url}; ${messages} frames, seed ${seed}, ${sockets} sockets`);
let lastSent = 0;
// Ctrl-C (or SIGTERM) ends the run early with a report of what was sent.
const stop = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => stop.abort());
const report = await runFuzz(server, {
  messages,
  seed,
  sockets,
  media: !values['no-media'],
  signal: stop.signal,
  progress: ({ sent, elapsedMs, open, bJoins, bJoinFailures }) => {
    if (Math.floor(elapsedMs / 10_000) !== Math.floor((elapsedMs - 1000) / 10_000)) {
      console.log(`  ${Math.round(elapsedMs / 1000)} s: ${sent} sent (${Math.round((sent - lastSent) / 10)}/s), ${open} sockets open, ${bJoins} joins to fuzzing meetings (${bJoinFailures} refused)`);
      lastSent = sent;
    }
  },
});
const exitCode = server.exitCode();
await server.close();

const passed = fuzzPassed(report) && exitCode === null;
console.log('\nfuzz report');
if (stop.signal.aborted) console.log(`  stopped early by a signal after ${report.sent} of ${messages} frames`);
console.log(`  frames sent: ${report.sent} in ${(report.elapsedMs / 1000).toFixed(0)} s (${Math.round(report.sent / (report.elapsedMs / 1000))}/s), seed ${report.seed}`);
console.log(`  by category: ${JSON.stringify(report.byCategory)}`);
console.log(`  replies and events: ${JSON.stringify(report.replies)}`);
console.log(`  sockets opened: ${report.socketsOpened}; joins to fuzzing meetings: ${report.bJoins} (failures ${JSON.stringify(report.bJoinFailures)}); fuzzing meetings created: ${report.meetingsCreated}`);
console.log(`  server crashed: ${report.serverGone || exitCode !== null ? `yes (exit ${String(exitCode)})` : 'no'}; health check failures: ${report.healthFailures}`);
console.log(`  internal errors: ${report.internalErrors}`);
for (const s of report.internalSamples.slice(0, 10)) console.log(`    ${s.reply}\n      after: ${s.frame}`);
console.log(`  legitimate meeting: ${report.unexpected.length} unexpected events; still connected: ${report.legitStillConnected}; its own events after setup: ${JSON.stringify(report.expectedAfterSetup)}`);
for (const u of report.unexpected.slice(0, 10)) console.log(`    ${u.who}: ${u.message}`);
console.log(`  server RSS: ${mb(report.before.rss)} before, ${mb(report.after.rss)} after; fds ${report.before.fds} → ${report.after.fds}; rooms ${report.before.rooms} → ${report.after.rooms}; SFU peers ${report.before.sfuPeers} → ${report.after.sfuPeers}`);
console.log(`  Object.prototype polluted: ${report.after.prototypePolluted}`);
console.log(passed ? '\nPASS' : '\nFAIL');
process.exit(passed ? 0 : 1);
