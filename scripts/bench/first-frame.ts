/**
 * Join → first frame with Node clients: a Parley meeting with one publisher (720p simulcast + audio);
 * a joiner (another process) sends `join` and, through setupMedia, consume and resume, decodes the
 * video in an RTCVideoSink; the time from sending `join` to the first decoded frame, `runs` times.
 */
import { startParley } from './parley-server.js';
import { PeerProcess } from './peers.js';
import { sleep } from './util.js';
import { HEIGHT, WIDTH } from './forwarding.js';

export async function joinToFirstFrame(runs: number): Promise<number[]> {
  const server = await startParley();
  const procs: PeerProcess[] = [];
  try {
    const meeting = await server.createMeeting();
    const base = { wsUrl: server.wsUrl, meetingId: meeting.id, passcode: meeting.passcode };
    const publisher = new PeerProcess({ role: 'parley', ...base, localAddress: '127.0.9.1', peers: [{ name: 'Publisher', audio: true, video: true }], width: WIDTH, height: HEIGHT, layer: 'high', concurrency: 1 });
    procs.push(publisher);
    await publisher.ready(60_000);
    await sleep(3000);
    const joiner = new PeerProcess({ role: 'parley-first-frame', ...base, localAddress: '127.0.11.1', runs });
    procs.push(joiner);
    return await joiner.result(runs * 25_000 + 30_000);
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
    await server.close();
  }
}
