/**
 * Runs async tasks one at a time, in order. Each WebRTC connection owns one, so that two
 * negotiations never interleave on the same RTCPeerConnection. A failed task rejects its own
 * caller only; the queue carries on.
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task, task);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
