/**
 * Chat and files over real sockets and real HTTP: the link policy (block, hold, allow), disguised and
 * dangerous links never clickable, history for late joiners, limits; files only for participants,
 * only allowed types, served as attachments, gone when the meeting ends.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { ChatMessage } from '@parley/protocol';
import { joinAdmitted } from '../test-support/join.js';
import { OPEN_DOORS, uploadFile, startTestServer, type TestServer } from '../test-support/server.js';
import { errorCode, type Msg } from '../test-support/messages.js';

const server: TestServer = await startTestServer();
after(() => server.close());

const links = (m: ChatMessage): string[] => m.segments.flatMap((s) => ('link' in s ? [s.link] : []));
const chatOn = { ...OPEN_DOORS, features: { chat: true, privateChat: true } };

async function room(settings: object) {
  const meeting = await server.createMeeting({ settings: { ...chatOn, ...settings } });
  const host = await joinAdmitted(server, meeting, 'Host', server.admin);
  const guest = await joinAdmitted(server, meeting, 'Guest');
  return { meeting, host, guest };
}

test('block (the default): any link attempt is refused, never delivered, and the moderators are alerted', async () => {
  const { meeting, host, guest } = await room({});
  for (const text of ['see https://example.org', '\\\\fileserver\\share', 'www.evil.com', 'java\tscript:alert(1)']) {
    assert.equal(errorCode(await guest.client.requestRaw('chat', { text })), 'link_blocked', text);
  }
  await host.client.waitFor((m) => m.type === 'alert' && m.attempted === 'link', 15_000, 0);
  const linkAlerts = host.client.messages.filter((m) => m.type === 'alert' && m.attempted === 'link');
  assert.equal(linkAlerts.length, 4);
  assert.equal(host.client.messages.filter((m) => m.type === 'chatMessage').length, 0, 'nothing was delivered');
  const ok = await guest.client.request('chat', { text: 'no links here, meet at 3:30' });
  assert.deepEqual(ok.message.segments, [{ text: 'no links here, meet at 3:30' }]);
  const audit = (await server.server.audit.forMeeting(meeting.id)).filter((r) => r.action === 'chat.link-blocked');
  assert.equal(audit.length, 4);
  await Promise.all([host.client.close(), guest.client.close()]);
});

test('hold: a message with a link waits for a moderator; approved, its allow-listed https link becomes clickable for everyone; rejected, the sender is told', async () => {
  const { host, guest } = await room({ linkPolicy: 'hold', linkAllowList: ['example.org'] });
  const held = await guest.client.request('chat', { text: 'agenda: https://example.org/agenda' });
  assert.equal(held.status, 'held');
  const notice = await host.client.waitFor<Msg<'chatHeld'>>((m) => m.type === 'chatHeld', 15_000, 0);
  assert.equal(notice.message.id, held.message.id);
  assert.equal(guest.client.messages.filter((m) => m.type === 'chatMessage').length, 0);
  await host.client.request('approveMessage', { messageId: held.message.id });
  for (const c of [host.client, guest.client]) {
    const delivered = await c.waitFor<Msg<'chatMessage'>>((m) => m.type === 'chatMessage', 15_000, 0);
    assert.deepEqual(links(delivered.message), ['https://example.org/agenda']);
  }
  const unc = await guest.client.request('chat', { text: 'also \\\\fs\\share and https://example.org' });
  await host.client.request('approveMessage', { messageId: unc.message.id });
  const second = await guest.client.waitFor<Msg<'chatMessage'>>((m) => m.type === 'chatMessage' && m.message.id === unc.message.id, 15_000, 0);
  assert.deepEqual(links(second.message), ['https://example.org/'], 'the UNC path stays text even when approved');
  const rejected = await guest.client.request('chat', { text: 'http://phish.example.net' });
  await host.client.request('rejectMessage', { messageId: rejected.message.id });
  await guest.client.waitFor((m) => m.type === 'chatRejected' && m.messageId === rejected.message.id, 15_000, 0);
  await Promise.all([host.client.close(), guest.client.close()]);
});

test('approving a held message keeps the allow-list and the classifier’s verdict (M4)', async () => {
  const { host, guest } = await room({ linkPolicy: 'hold', linkAllowList: ['trusted.example'] });
  const text = 'see https://attacker.example\\@trusted.example/ and https://docs.trusted.example/a and https://other.example/x';
  const held = await guest.client.request('chat', { text });
  assert.equal(held.status, 'held');
  await host.client.request('approveMessage', { messageId: held.message.id });
  const delivered = await guest.client.waitFor<Msg<'chatMessage'>>((m) => m.type === 'chatMessage' && m.message.id === held.message.id, 15_000, 0);
  assert.deepEqual(links(delivered.message), ['https://docs.trusted.example/a'], 'only the allow-listed, plainly written link is clickable');
  assert.equal(delivered.message.segments.map((s) => s.text).join(''), text, 'the text is kept whole');
  await Promise.all([host.client.close(), guest.client.close()]);
});

test('allow: only plain https links to listed domains are clickable; UNC paths and other schemes stay text and alert', async () => {
  const { host, guest } = await room({ linkPolicy: 'allow', linkAllowList: ['example.org'] });
  const cases: [string, string[]][] = [
    ['docs at https://docs.example.org/a', ['https://docs.example.org/a']],
    ['https://evil.com/x', []],
    ['\\\\fileserver\\share\\budget.xlsx', []],
    ['file:///etc/passwd', []],
    ['https\uff1a//example.org', []],
    ['javascript:alert(1)', []],
  ];
  for (const [i, [text, expected]] of cases.entries()) {
    if (i === 5) await new Promise((r) => setTimeout(r, 2100)); // the per-person rate: 5 at once, then one every 2 s
    const sent = await guest.client.request('chat', { text });
    assert.equal(sent.status, 'sent');
    assert.deepEqual(links(sent.message), expected, text);
    assert.equal(sent.message.segments.map((s) => s.text).join(''), text, 'the text is kept whole');
  }
  await host.client.waitFor((m) => m.type === 'alert' && m.attempted === 'link', 15_000, 0);
  const alerts = host.client.messages.filter((m) => m.type === 'alert' && m.attempted === 'link');
  assert.equal(alerts.length, 4, 'the UNC path, file:, the disguised link and javascript: alert the moderators');
  await Promise.all([host.client.close(), guest.client.close()]);
});

test('private messages reach only the two people; late joiners get the history they may see; limits hold', async () => {
  const { meeting, host, guest } = await room({});
  const other = await joinAdmitted(server, meeting, 'Other');
  await guest.client.request('chat', { text: 'for everyone' });
  await guest.client.request('chat', { text: 'just for the host', to: host.state.self.id });
  await host.client.waitFor((m) => m.type === 'chatMessage' && m.message.to !== null, 15_000, 0);
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(other.client.messages.filter((m): m is Msg<'chatMessage'> => m.type === 'chatMessage').map((m) => m.message.text), ['for everyone']);
  const late = await joinAdmitted(server, meeting, 'Late');
  assert.deepEqual(late.state.chat.map((m) => m.text), ['for everyone']);
  assert.equal(errorCode(await guest.client.requestRaw('chat', { text: 'x'.repeat(2001) })), 'bad_request');
  const burst = [];
  for (let i = 0; i < 6; i++) burst.push(errorCode(await other.client.requestRaw('chat', { text: `msg ${i}` })));
  assert.ok(burst.includes('rate_limited'), 'a per-person rate limit applies');
  assert.equal(errorCode(await guest.client.requestRaw('chat', { text: 'to nobody', to: 'nonexistent1' })), 'not_found');
  await Promise.all([host.client, guest.client, other.client, late.client].map((c) => c.close()));
});

const upload = (meetingId: string, token: string, name: string, data: Buffer): Promise<Response> => uploadFile(server, meetingId, token, name, data);

test('files: only allowed types, only for participants, as attachments that cannot be sniffed, and gone when the meeting ends', async () => {
  const { meeting, host, guest } = await room({ features: { fileSharing: true } });
  const outsider = await joinAdmitted(server, await server.createMeeting({ settings: OPEN_DOORS }), 'Outsider');
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(200, 0x20)]);
  const res = await upload(meeting.id, guest.state.participantToken, '../../etc/Quarterly report.pdf', pdf);
  assert.equal(res.status, 201);
  const file = (await res.json()) as { id: string; name: string; type: string };
  assert.equal(file.name, 'Quarterly report.pdf', 'no path in the name');
  const shared = await host.client.waitFor<Msg<'fileShared'>>((m) => m.type === 'fileShared', 15_000, 0);
  assert.equal(shared.file.id, file.id);

  const download = await fetch(`${server.url}/api/meetings/${meeting.id}/files/${file.id}`, { headers: { 'x-parley-participant': host.state.participantToken } });
  assert.equal(download.status, 200);
  assert.equal(download.headers.get('content-type'), 'application/octet-stream');
  assert.match(download.headers.get('content-disposition') ?? '', /^attachment; filename="Quarterly report.pdf"/);
  assert.equal(download.headers.get('x-content-type-options'), 'nosniff');
  assert.match(download.headers.get('content-security-policy') ?? '', /sandbox/);
  assert.deepEqual(Buffer.from(await download.arrayBuffer()), pdf);

  const denied: [string, RequestInit | undefined][] = [
    ['no token', undefined],
    ['another meeting’s participant', { headers: { 'x-parley-participant': outsider.state.participantToken } }],
    ['a made-up token', { headers: { 'x-parley-participant': 'x'.repeat(32) } }],
  ];
  for (const [who, init] of denied) {
    const r = await fetch(`${server.url}/api/meetings/${meeting.id}/files/${file.id}`, init);
    assert.equal(r.status, 403, who);
  }
  const refused: [string, Buffer, number][] = [
    ['tool.exe', Buffer.from('MZ\x90\x00'), 415],
    ['fake.png', Buffer.from('not a png at all'), 415],
    ['page.html', Buffer.from('<script>alert(1)</script>'), 415],
    ['big.txt', Buffer.alloc(10 * 1024 * 1024 + 1, 0x61), 413],
    // Names that are keys of every JavaScript object (L3): a coded 415, never a 500.
    ['.constructor', Buffer.from('x'), 415],
    ['x.__proto__', Buffer.from('x'), 415],
    ['a.toString', Buffer.from('x'), 415],
    ['a.hasOwnProperty', Buffer.from('x'), 415],
  ];
  for (const [name, data, status] of refused) assert.equal((await upload(meeting.id, guest.state.participantToken, name, data)).status, status, name);

  await host.client.request('endMeeting', {});
  const after = await fetch(`${server.url}/api/meetings/${meeting.id}/files/${file.id}`, { headers: { 'x-parley-participant': host.state.participantToken } });
  assert.equal(after.status, 403, 'the meeting ended: its files are gone');
  await outsider.client.close();
});
