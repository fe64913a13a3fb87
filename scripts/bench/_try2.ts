import { startParley } from './parley-server.js';
import { PeerProcess } from './peers.js';
import { sleep } from './util.js';
const s = await startParley();
const m = await s.createMeeting();
const pub = new PeerProcess({ role: 'parley', wsUrl: s.wsUrl, meetingId: m.id, passcode: m.passcode, width: 1280, height: 720, layer: 'high', localAddress: '127.0.9.1', peers: [{ name: 'P', audio: true, video: true }], concurrency: 1 });
console.log(await pub.ready());
const sub = new PeerProcess({ role: 'parley', wsUrl: s.wsUrl, meetingId: m.id, passcode: m.passcode, width: 1280, height: 720, layer: 'high', localAddress: '127.0.10.1', peers: [{ name: 'S', audio: false, video: false }], concurrency: 1 });
console.log(await sub.ready());
let prev = (await pub.stats()).layers; let ps = (await sub.stats()).peers;
for (let i = 0; i < 8; i++) { await sleep(2000); const l = (await pub.stats()).layers; const p = (await sub.stats()).peers;
  console.log(l.map((x) => `${x.rid}:${x.frameWidth} ${((x.packetsSent - (prev.find((y) => y.rid === x.rid)?.packetsSent ?? 0)) / 2).toFixed(0)}pps ${((x.bytesSent - (prev.find((y) => y.rid === x.rid)?.bytesSent ?? 0)) / 250).toFixed(0)}k`).join(' | '), ' sub video pps', ((p[0]?.videoPackets ?? 0) - (ps[0]?.videoPackets ?? 0)) / 2, 'lost', p[0]?.lost);
  prev = l; ps = p; }
await pub.stop(); await sub.stop(); await s.close(); process.exit(0);
