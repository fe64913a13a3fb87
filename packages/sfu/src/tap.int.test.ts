/**
 * The wiretap the end-to-end encryption tests rely on, proven on a clear stream: what the SFU forwards
 * for a standard (not end-to-end encrypted) camera is decodable by ffmpeg. If this failed, a "0 frames
 * decoded" from an encrypted meeting would prove nothing.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSfu, joinPeer, type TestPeer } from './testing/harness.js';
import { eventually } from './testing/eventually.js';
import { tapVideo } from './testing/tap.js';
import { framesFfmpegDecodes } from './testing/ffmpeg.js';
import type { SfuControl } from './types.js';

const peers: TestPeer[] = [];
let sfu: SfuControl | undefined;
after(async () => {
  for (const p of peers) p.close();
  await sfu?.close();
});

test('a server-side tap of a clear camera records frames that ffmpeg decodes', async () => {
  sfu = await startSfu();
  const alice = await joinPeer(sfu, 'tapped', 'alice');
  peers.push(alice);
  const cam = await alice.publish('camera', { simulcast: true });
  const tap = await tapVideo(sfu, cam.trackId);
  try {
    await eventually(
      async () => {
        if (tap.frames.length < 30) {
          await tap.requestKeyFrame();
          return false;
        }
        return true;
      },
      { timeoutMs: 30_000, intervalMs: 500, what: 'thirty frames recorded by the tap' },
    );
    const frames = tap.frames.slice(0, 30);
    assert.equal(frames[0]![0]! & 0x01, 0, 'the recording starts at a keyframe');
    const { decoded, log } = await framesFfmpegDecodes(frames);
    assert.ok(decoded >= 25, `ffmpeg decoded ${decoded} of ${frames.length} clear frames (${log})`);
  } finally {
    tap.close();
  }
});
