import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TypedEmitter } from './emitter.js';
import { SerialQueue } from './serial-queue.js';

describe('SerialQueue', () => {
  it('runs tasks one at a time in order, and a failure rejects only its own caller', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    const task = (name: string, ms: number, fail = false) => () =>
      new Promise<string>((resolve, reject) => {
        log.push(`start ${name}`);
        setTimeout(() => {
          log.push(`end ${name}`);
          if (fail) reject(new Error(name));
          else resolve(name);
        }, ms);
      });
    const results = await Promise.allSettled([queue.run(task('a', 20)), queue.run(task('b', 1, true)), queue.run(task('c', 1))]);
    assert.deepEqual(log, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
  });
});

describe('TypedEmitter', () => {
  it('calls listeners with typed arguments, isolates a throwing listener, and removes listeners', () => {
    const errors: unknown[] = [];
    const emitter = new TypedEmitter<{ ping: [id: string, n: number] }>((e) => errors.push(e));
    const seen: string[] = [];
    const listener = (id: string, n: number): void => {
      seen.push(`${id}:${n}`);
    };
    emitter.on('ping', () => {
      throw new Error('boom');
    });
    emitter.on('ping', listener);
    emitter.emit('ping', 'a', 1);
    emitter.off('ping', listener);
    emitter.emit('ping', 'b', 2);
    assert.deepEqual(seen, ['a:1']);
    assert.equal(errors.length, 2);
  });
});
