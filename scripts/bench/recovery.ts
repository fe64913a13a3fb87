/**
 * Recovery times (blip, reload, restart) as tests/browser/cross-browser.test.ts prints them
 * (`# blip: ...`, `# reload: ...`, `# restart: ...`): the bench runs that one file in its own
 * network namespace (scripts/isolated-net.sh, as the test runner does) and reports its lines.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;

export interface Recovery {
  lines: string[];
  passed: boolean;
  note?: string;
}

export function recoveryTimes(timeoutMs: number): Promise<Recovery> {
  return browserTestLines('tests/browser/cross-browser.test.ts', /^# (blip|reload|restart|mediasoup-client handlers):/, timeoutMs);
}

/** Runs one browser test file in its own network namespace and returns its `# name: ...` lines that match. */
export async function browserTestLines(file: string, wanted: RegExp, timeoutMs: number): Promise<Recovery> {
  if (process.getuid?.() !== 0) return { lines: [], passed: false, note: 'skipped: `unshare -n` (a network namespace for the browsers) needs root' };
  for (const b of ['/usr/bin/chromium', '/usr/bin/firefox-esr']) if (!existsSync(b)) return { lines: [], passed: false, note: `skipped: ${b} is not installed` };
  return new Promise((resolve) => {
    const child = spawn('unshare', ['-n', 'bash', 'scripts/isolated-net.sh', process.execPath, '--import', 'tsx', '--test', '--test-force-exit', file], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      // The TAP reporter re-prefixes a test's stdout ("# \# blip: ..."): keep one "# ".
      const lines = [
        ...new Set(
          out
            .split('\n')
            .map((l) => l.trim().replace(/^((\\?#)\s*)+/, '# '))
            .filter((l) => wanted.test(l)),
        ),
      ];
      const summary = out.split('\n').filter((l) => /^# (pass|fail) /.test(l.trim())).map((l) => l.trim()).join(', ');
      const logFile = join(tmpdir(), `parley-bench-${file.replace(/\W+/g, '-')}.log`);
      writeFileSync(logFile, out);
      const ending = signal ? `killed after ${timeoutMs / 1000} s` : `exit ${code}${summary ? ` (${summary})` : ''}`;
      resolve({ lines, passed: code === 0, note: `${ending}; output in ${logFile}` });
    });
  });
}
