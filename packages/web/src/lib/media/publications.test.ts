/** What each source is produced with: camera simulcast, one sharp screen layer, Opus DTX and FEC. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { produceOptions } from './publications.js';

test('the camera goes out as three simulcast layers, 1/4, 1/2 and full size, each with three temporal layers', () => {
  const camera = produceOptions('camera');
  assert.deepEqual(camera.encodings?.map((e) => [e.rid, e.scaleResolutionDownBy, e.maxBitrate, e.scalabilityMode]), [
    ['r0', 4, 150_000, 'L1T3'],
    ['r1', 2, 500_000, 'L1T3'],
    ['r2', 1, 1_500_000, 'L1T3'],
  ]);
  assert.equal(camera.codecOptions?.videoGoogleStartBitrate, 1000);
});

test('a screen share is one layer; the microphone is Opus with DTX and FEC; tracks are never stopped by a producer', () => {
  assert.equal(produceOptions('screen').encodings?.length, 1);
  const mic = produceOptions('microphone');
  assert.deepEqual([mic.codecOptions?.opusDtx, mic.codecOptions?.opusFec, mic.encodings], [true, true, undefined]);
  for (const source of ['camera', 'screen', 'microphone'] as const) {
    assert.equal(produceOptions(source).stopTracks, false);
    assert.equal(produceOptions(source).appData?.source, source);
  }
});
