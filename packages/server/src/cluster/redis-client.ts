/** The Redis connection every cluster part uses: a short connect timeout, reconnecting with backoff (at most 2 s apart). */
import { createClient } from 'redis';

export function redisClient(url: string) {
  return createClient({ url, socket: { connectTimeout: 5000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000) } });
}
export type Redis = ReturnType<typeof redisClient>;
