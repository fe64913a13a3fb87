#!/usr/bin/env node
// Runs the test suites with node's test runner (TypeScript through tsx).
//   unit:        packages/*/src/**/*.test.ts      (but not *.int.test.ts)
//   integration: packages/*/src/**/*.int.test.ts  (real server, sockets, WebRTC peers)
//   browser:     tests/browser/*.test.ts          (Debian Chromium through playwright-core, Firefox ESR
//                                                  through puppeteer-core over WebDriver BiDi)
//   postgres:    packages/server/src/storage/*.test.ts and packages/server/src/**/*.int.test.ts again, on
//                PostgreSQL: only when PARLEY_TEST_POSTGRES_URL names a server (a superuser's URL; .ci/run
//                starts one); each test server and storage test makes a database of its own there.
// With no argument all of them run, in that order (postgres after integration, when its URL is set). Browser
// tests are mandatory when CI=true; elsewhere a missing /usr/bin/chromium or /usr/bin/firefox-esr skips them
// with a loud message.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const wanted = process.argv.slice(2);
const postgresUrl = process.env.PARLEY_TEST_POSTGRES_URL || undefined;
const suites = wanted.length > 0 ? wanted : ['unit', 'integration', ...(postgresUrl ? ['postgres'] : []), 'browser'];

function walk(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

// Server integration tests whose subject is media, not what the database holds (their storage use is
// a meeting created through the API, as in every other file): the PostgreSQL pass leaves them out
// unless PARLEY_TEST_POSTGRES_SCOPE=all. Everything else runs on both engines.
const MEDIA_SUBJECT = ['rooms/meeting', 'rooms/network-quality', 'rooms/e2ee', 'media/turn'];
const packageFiles = readdirSync(join(root, 'packages')).flatMap((p) => walk(join(root, 'packages', p, 'src')));
const files = {
  unit: packageFiles.filter((f) => f.endsWith('.test.ts') && !f.endsWith('.int.test.ts')),
  integration: packageFiles.filter((f) => f.endsWith('.int.test.ts')),
  browser: walk(join(root, 'tests', 'browser')).filter((f) => f.endsWith('.test.ts')),
  // The SFU's media tests never touch the database: they run once, on SQLite.
  // The storage tests and every server integration test but MEDIA_SUBJECT's; the cluster tests
  // (several nodes share PostgreSQL) run only here.
  postgres: [
    ...walk(join(root, 'packages', 'server', 'src', 'storage')).filter((f) => f.endsWith('.test.ts') && !f.endsWith('.int.test.ts')),
    ...walk(join(root, 'packages', 'server', 'src')).filter((f) => f.endsWith('.int.test.ts'))
      .filter((f) => process.env.PARLEY_TEST_POSTGRES_SCOPE === 'all' || !MEDIA_SUBJECT.some((name) => f.endsWith(`/${name}.int.test.ts`))),
  ],
};

const browsers = [process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium', process.env.PARLEY_FIREFOX ?? '/usr/bin/firefox-esr'];
let failed = false;
for (const suite of suites) {
  const list = files[suite];
  if (!list) {
    console.error(`unknown suite "${suite}" (unit, integration, postgres, browser)`);
    process.exit(2);
  }
  if (suite === 'postgres' && !postgresUrl) {
    console.error('the postgres suite needs PARLEY_TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5433/postgres)');
    process.exit(2);
  }
  const absent = suite === 'browser' ? browsers.filter((b) => !existsSync(b)) : [];
  if (absent.length > 0) {
    if (process.env.CI === 'true') {
      console.error(`\n!!! CI=true but ${absent.join(' and ')} missing: browser tests are mandatory in CI.\n`);
      process.exit(1);
    }
    console.error(`\n!!!!!!!! SKIPPING BROWSER TESTS: ${absent.join(' and ')} not found (apt-get install -y chromium firefox-esr) !!!!!!!!\n`);
    continue;
  }
  if (list.length === 0) continue;
  const label = suite === 'postgres' ? 'storage and server integration tests AGAIN, ON POSTGRESQL' : `${suite} tests`;
  console.log(`\n=== ${label} (${list.length} files) ===`);
  const args = ['--import', 'tsx', '--test', '--test-reporter=spec'];
  // Media and browser tests share two cores: run their files one at a time. libwebrtc (the Node
  // test peers' @roamhq/wrtc) keeps native threads that never let a finished file's process exit
  // on its own: end each file once its tests are done.
  if (suite !== 'unit') args.push('--test-concurrency=1', '--test-force-exit');
  let command = [process.execPath, ...args, ...list.map((f) => relative(root, f))];
  // Browser tests run in a network namespace of their own (see scripts/isolated-net.sh): Firefox
  // needs a media address that is not loopback, and a test may cut a browser's network. It takes
  // root (CI has it); elsewhere the tests that need it skip themselves with a loud message.
  if (suite === 'browser') {
    if (process.getuid?.() === 0) command = ['unshare', '-n', 'bash', join(root, 'scripts/isolated-net.sh'), ...command];
    else console.error('\n!!!!!!!! not root: browser tests run without their own network namespace; Firefox media tests skip !!!!!!!!\n');
  }
  // Only the postgres pass sees the server's URL: every other pass runs on the embedded SQLite.
  const { PARLEY_TEST_POSTGRES_URL: _postgres, ...env } = process.env;
  const started = Date.now();
  const res = spawnSync(command[0], command.slice(1), {
    cwd: root,
    stdio: 'inherit',
    env: { ...env, ...(suite === 'postgres' ? { PARLEY_TEST_POSTGRES_URL: postgresUrl } : {}), PARLEY_LOG_LEVEL: process.env.PARLEY_LOG_LEVEL ?? 'silent' },
  });
  console.log(`=== ${label}: ${res.status === 0 ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s ===`);
  if (res.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
