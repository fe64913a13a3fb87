/**
 * Client currency over a real server with its own web root: the Clients view lists connected clients
 * with build and browser (outdated ones flagged) and counts them over time; deploying a new build
 * (replacing build.json) reaches every connected socket within seconds, as a reload offer while the
 * client's build is still accepted and as a required reload once it falls below the minimum, after
 * which its `hello` is refused with update_required.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync, renameSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DEFAULT_POLICY, PROTOCOL_VERSION, type AdminClientsView, type ServerMessage } from '@parley/protocol';
import { DEFAULT_WEB_ROOT } from '../test-support/client-build.js';
import { joinAdmitted } from '../test-support/join.js';
import { eventually } from '../test-support/media-peer.js';
import { OPEN_DOORS, startTestServer, type TestServer } from '../test-support/server.js';
import { TestClient } from '../test-support/ws-client.js';
import { outdatedClientsSeen, postureOutdatedClients } from './registry.js';

const FIREFOX_128 = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const CHROME_120 = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const FIRST = '0.1.0+aaaaaaaaaaaa';

let server: TestServer;
let webRoot: string;

/** Deploys a build: build.json replaced at once (written aside, renamed over), as a deployment does. */
function deploy(build: string): void {
  const aside = join(webRoot, 'build.json.new');
  writeFileSync(aside, JSON.stringify({ build }));
  renameSync(aside, join(webRoot, 'build.json'));
}

before(async () => {
  webRoot = mkdtempSync(join(tmpdir(), 'parley-webroot-'));
  if (existsSync(DEFAULT_WEB_ROOT)) cpSync(DEFAULT_WEB_ROOT, webRoot, { recursive: true });
  deploy(FIRST);
  server = await startTestServer({ webRoot });
});
after(async () => {
  await server.close();
  rmSync(webRoot, { recursive: true, force: true });
});

async function hello(userAgent: string, clientBuild: string): Promise<{ client: TestClient; reply: ServerMessage }> {
  const client = await TestClient.connect(server.wsUrl, { 'user-agent': userAgent });
  const reply = await client.requestRaw('hello', { protocolVersion: PROTOCOL_VERSION, clientBuild });
  return { client, reply };
}

async function clientsView(): Promise<AdminClientsView> {
  const res = await server.api('GET', '/api/admin/clients', undefined, server.admin);
  assert.equal(res.status, 200);
  return (await res.json()) as AdminClientsView;
}

const buildEvents = (client: TestClient) => client.messages.filter((m): m is Extract<ServerMessage, { type: 'clientBuild' }> => m.type === 'clientBuild');

test('connected clients are listed by build and browser, outdated ones flagged, and counted over time', async () => {
  const meeting = await server.createMeeting({ settings: OPEN_DOORS });
  const current = await hello(FIREFOX_128, FIRST);
  assert.equal(current.reply.type, 'welcome');
  assert.deepEqual(buildEvents(current.client), [], 'the served build is not told of a new one');
  await current.client.request('join', { meetingId: meeting.id, passcode: meeting.passcode, displayName: 'Fiona' });
  const chrome = await hello(CHROME_120, '0.1.0');
  assert.equal(chrome.reply.type, 'welcome', 'an accepted build older than the served one still joins');
  await eventually(() => buildEvents(chrome.client).length > 0, 'the older build is offered a reload');
  assert.deepEqual(buildEvents(chrome.client), [{ type: 'clientBuild', build: FIRST, required: false }]);

  let view = await clientsView();
  assert.equal(view.servedBuild, FIRST);
  assert.equal(view.minimumBuild, '0.1.0');
  const fiona = view.connected.find((c) => c.displayName === 'Fiona');
  assert.deepEqual(fiona && { ...fiona, connectedAt: 0 }, { build: FIRST, browser: 'Firefox 128', browserFamily: 'firefox', browserMajor: 128, outdated: false, meetingId: meeting.id, displayName: 'Fiona', connectedAt: 0 });
  assert.equal(view.connected.find((c) => c.browser === 'Chrome 120')?.outdated, false);

  // A browser minimum flags the Firefox below it (already connected: it is listed, not dropped).
  const store = server.server.policy;
  await store.update({ ...DEFAULT_POLICY, minimumBrowsers: { firefox: 130 } }, { actor: 'test', clientAddress: null });
  view = await clientsView();
  assert.equal(view.connected.find((c) => c.displayName === 'Fiona')?.outdated, true);

  const from = Date.now() - 1000;
  const sample = await server.server.clients.sample();
  assert.equal(sample.total, 2);
  assert.equal(sample.outdated, 1);
  assert.deepEqual(sample.byBrowser, { 'Firefox 128': 1, 'Chrome 120': 1 });
  assert.deepEqual(sample.byBuild, { [FIRST]: 1, '0.1.0': 1 });
  assert.deepEqual(sample.outdatedByBrowser, { 'Firefox 128': 1 });
  view = await clientsView();
  assert.deepEqual(view.samples.at(-1), sample);
  assert.deepEqual(await outdatedClientsSeen(server.server.db, from, Date.now()), { samples: 1, samplesWithOutdated: 1, maxOutdated: 1, maxTotal: 2, byBrowser: { 'Firefox 128': 1 } });
  assert.deepEqual(await outdatedClientsSeen(server.server.db, 0, from - 1), { samples: 0, samplesWithOutdated: 0, maxOutdated: 0, maxTotal: 0, byBrowser: {} });
  assert.deepEqual(await postureOutdatedClients(server.server.db)(from, Date.now()), { available: true, total: 1, byBrowser: { 'Firefox 128': 1 } });
  await store.update(DEFAULT_POLICY, { actor: 'test', clientAddress: null });
  await Promise.all([current.client.close(), chrome.client.close()]);
});

test('a new build reaches connected clients within seconds: offered, then required once below the minimum', async () => {
  const meeting = await server.createMeeting({ settings: OPEN_DOORS });
  const inMeeting = await joinAdmitted(server, meeting, 'Ingrid');
  const idle = await hello(CHROME_120, FIRST);
  const waiting = (client: TestClient, build: string) => () => buildEvents(client).some((e) => e.build === build);

  const patch = '0.1.0+bbbbbbbbbbbb';
  deploy(patch);
  await eventually(waiting(idle.client, patch), 'the idle socket hears of the new build', 20_000);
  assert.deepEqual(buildEvents(idle.client).at(-1), { type: 'clientBuild', build: patch, required: false }, 'same version: a reload is offered');
  await eventually(waiting(inMeeting.client, patch), 'the socket in a meeting hears of it', 20_000);

  const release = '0.2.0+cccccccccccc';
  deploy(release);
  await eventually(waiting(idle.client, release), 'the idle socket hears of the release', 20_000);
  assert.deepEqual(buildEvents(idle.client).at(-1), { type: 'clientBuild', build: release, required: true }, 'below the new minimum: reload now');
  await eventually(waiting(inMeeting.client, release), 'the socket in a meeting hears of the release', 20_000);
  assert.equal(buildEvents(inMeeting.client).at(-1)?.required, true);

  // Its next hello (a reconnect without reloading) is refused.
  const again = await hello(CHROME_120, FIRST);
  assert.equal(again.reply.type === 'error' && again.reply.code, 'update_required');
  await again.client.closed();
  const reloaded = await hello(CHROME_120, release);
  assert.equal(reloaded.reply.type, 'welcome');
  await Promise.all([inMeeting.client.close(), idle.client.close(), reloaded.client.close()]);
});
