/** Starts the test OpenID Provider (provider.ts) as a child process and tells it how to misbehave. */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export type Tamper = 'off' | 'alg_none' | 'aud' | 'iss' | 'nonce';

export interface TestProvider {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Makes its token endpoint tamper with ID tokens, and/or shifts its clock (seconds; negative: its tokens are old). */
  misbehave(how: { tamper?: Tamper; clockSkewSeconds?: number }): Promise<void>;
  close(): Promise<void>;
}

const SCRIPT = fileURLToPath(new URL('./provider.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../../../../../', import.meta.url));

export async function startOidcProvider(options: { clientId?: string; clientSecret?: string; port?: number } = {}): Promise<TestProvider> {
  const clientId = options.clientId ?? 'parley-test';
  const clientSecret = options.clientSecret ?? 'parley-test-secret-0123456789';
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, '--client-id', clientId, '--client-secret', clientSecret, ...(options.port ? ['--port', String(options.port)] : [])], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const issuer = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const match = /^OIDC_PROVIDER_READY (\S+)$/.exec(line);
      if (match?.[1]) resolve(match[1]);
    });
    void exited.then(() => reject(new Error(`the test OpenID Provider exited before it was ready: ${stderr}`)));
  });
  return {
    issuer,
    clientId,
    clientSecret,
    async misbehave(how) {
      const form = new URLSearchParams();
      if (how.tamper) form.set('tamper', how.tamper);
      if (how.clockSkewSeconds !== undefined) form.set('clockSkewSeconds', String(how.clockSkewSeconds));
      const res = await fetch(`${issuer}/test-control`, { method: 'POST', body: form });
      if (res.status !== 204) throw new Error(`test-control: HTTP ${res.status}`);
    },
    async close() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
