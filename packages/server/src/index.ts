/** @parley/server: start a Parley server from code (tests, embedding) or from main.ts. */
import { resolveConfig, type ParleyOptions } from './config.js';
import { createLogger } from './log.js';
import { createParleyServer, type ParleyServer } from './app.js';

export type { ParleyOptions, ParleyConfig } from './config.js';
export type { ParleyServer } from './app.js';

export interface RunningParley {
  /** The base URL it listens on, e.g. http://127.0.0.1:8080. */
  readonly url: string;
  readonly server: ParleyServer;
  /** On a fresh install (no accounts yet): the one-time link that creates the first administrator. */
  readonly setupUrl: string | undefined;
  close(): Promise<void>;
}

export async function startParley(options: ParleyOptions = {}): Promise<RunningParley> {
  const config = resolveConfig(options);
  const log = createLogger(config.logLevel);
  const server = await createParleyServer(config, log);
  try {
    await server.http.listen({ port: config.port, host: config.host });
  } catch (err) {
    await server.close();
    throw err;
  }
  const address = server.http.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host === '0.0.0.0' ? 'localhost' : config.host;
  const url = `http://${host}:${port}`;
  const token = await server.accounts.setupToken();
  const setupUrl = token ? `${config.publicUrl ?? url}/setup#token=${token}` : undefined;
  return { url, server, setupUrl, close: () => server.close() };
}
