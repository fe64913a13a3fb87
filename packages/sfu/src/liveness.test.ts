import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { LivenessWatch, type Liveness } from './liveness.js';

describe('LivenessWatch', () => {
  it('reports silence, then death, and revives on traffic before death', () => {
    mock.timers.enable({ apis: ['setInterval', 'Date'] });
    try {
      let received = 0;
      const reports: Liveness[] = [];
      const watch = new LivenessWatch(() => received, (l) => reports.push(l), { disconnectedAfterMs: 1000, failedAfterMs: 3000, checkEveryMs: 100 }, () => Date.now());
      for (let i = 0; i < 10; i++) {
        received += 1;
        mock.timers.tick(100);
      }
      assert.deepEqual(reports, []);
      const advance = (ms: number): void => {
        for (let t = 0; t < ms; t += 100) mock.timers.tick(100);
      };
      advance(1000);
      assert.deepEqual(reports, ['silent']);
      received += 1;
      mock.timers.tick(100);
      assert.deepEqual(reports, ['silent', 'alive']);
      advance(3000);
      assert.deepEqual(reports, ['silent', 'alive', 'silent', 'dead']);
      received += 1;
      advance(1000);
      assert.equal(reports.length, 4, 'nothing after death: the watch stopped');
      watch.close();
    } finally {
      mock.timers.reset();
    }
  });
});
