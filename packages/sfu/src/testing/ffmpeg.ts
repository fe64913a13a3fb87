/**
 * How many of `frames` (VP8) a real decoder accepts: ffmpeg from Debian decodes an IVF file of them
 * and counts the pictures it produced. An encrypted frame is noise to a decoder: 0 decoded.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ivf } from './vp8-depacketizer.js';

const run = promisify(execFile);
export const FFMPEG = process.env.PARLEY_FFMPEG ?? '/usr/bin/ffmpeg';

export async function framesFfmpegDecodes(frames: readonly Uint8Array[]): Promise<{ decoded: number; log: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-tap-'));
  try {
    const file = join(dir, 'tap.ivf');
    await writeFile(file, ivf(frames));
    // -xerror is off: a decoder error on one frame must not hide the frames that decode.
    const { stdout, stderr } = await run(
      FFMPEG,
      ['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', file, '-f', 'framemd5', '-'],
      { maxBuffer: 64 * 1024 * 1024 },
    ).catch((error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: error.stderr ?? String(error) }));
    const decoded = stdout.split('\n').filter((line) => line.length > 0 && !line.startsWith('#')).length;
    return { decoded, log: stderr.slice(0, 2000) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
