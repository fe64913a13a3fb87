import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { KeyframeThrottle } from './keyframe.js';

describe('KeyframeThrottle', () => {
  it('sends at once, defers requests inside the interval to its end, and merges them', () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'] });
    try {
      const sent: number[] = [];
      const throttle = new KeyframeThrottle(() => sent.push(Date.now()), 500, () => Date.now());
      throttle.request();
      assert.deepEqual(sent, [0]);
      mock.timers.tick(100);
      throttle.request();
      throttle.request();
      assert.deepEqual(sent, [0], 'inside the interval nothing is sent yet');
      mock.timers.tick(399);
      assert.deepEqual(sent, [0]);
      mock.timers.tick(1);
      assert.deepEqual(sent, [0, 500], 'one trailing request at the end of the interval');
      mock.timers.tick(1000);
      assert.deepEqual(sent, [0, 500]);
      throttle.request();
      assert.deepEqual(sent, [0, 500, 1500]);
      throttle.close();
    } finally {
      mock.timers.reset();
    }
  });

  it('sends nothing after close, including a deferred request', () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'] });
    try {
      let sent = 0;
      const throttle = new KeyframeThrottle(() => (sent += 1), 500, () => Date.now());
      throttle.request();
      throttle.request();
      throttle.close();
      mock.timers.tick(1000);
      throttle.request();
      assert.equal(sent, 1);
    } finally {
      mock.timers.reset();
    }
  });
});
