#!/usr/bin/env node
// Makes sure mediasoup has its C++ worker, where mediasoup looks for it by default
// (node_modules/mediasoup/worker/out/Release/mediasoup-worker), so nothing else needs configuring.
// npm skips mediasoup's own install script (package.json `allowScripts`), because offline it hangs
// on downloads and PyPI. In order:
//   1. MEDIASOUP_WORKER_BIN, if set, is used as it is (mediasoup reads it itself).
//   2. A worker already in place is kept.
//   3. mediasoup's prebuilt worker for this platform, fetched from where mediasoup's own installer
//      fetches it (its repository's release for this exact version), unless
//      PARLEY_MEDIASOUP_DOWNLOAD=0. A machine without internet fails this in seconds.
//   4. Otherwise the worker is built from the sources in mediasoup's npm package against Debian
//      packages (scripts/build-mediasoup-worker.sh; cached in ~/.cache/mediasoup-worker, so it is
//      built once per machine). That needs its apt packages: installed when running as root,
//      otherwise the script stops and names them.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform, release, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const require = createRequire(join(root, 'packages/sfu/package.json'));
// mediasoup's exports hide package.json: find the package from its main entry (node/lib/index.js).
const msDir = join(dirname(require.resolve('mediasoup')), '../..');
const pkg = JSON.parse(readFileSync(join(msDir, 'package.json'), 'utf8'));
const target = join(msDir, 'worker/out/Release/mediasoup-worker');
const log = (text) => console.error(`[mediasoup-worker] ${text}`);

/** A mediasoup worker started without its environment exits with 41: proof that it runs here. */
function runs(bin) {
  const res = spawnSync(bin, [], { env: {}, stdio: 'ignore', timeout: 10_000 });
  return res.status === 41;
}

function install(bin, how) {
  mkdirSync(dirname(target), { recursive: true });
  const tmp = `${target}.tmp`;
  copyFileSync(bin, tmp);
  chmodSync(tmp, 0o755);
  renameSync(tmp, target);
  log(`mediasoup ${pkg.version} worker in place (${how})`);
}

async function download() {
  if (process.env.PARLEY_MEDIASOUP_DOWNLOAD === '0') return false;
  const base = process.env.MEDIASOUP_WORKER_PREBUILT_DOWNLOAD_BASE_URL ?? `${pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '')}/releases/download`;
  let name = `mediasoup-worker-${pkg.version}-${platform()}-${arch()}`;
  if (platform() === 'linux') name += `-kernel${Number(release().split('.')[0])}`;
  const url = `${base}/${pkg.version}/${name}.tgz`;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
    if (!res.ok) {
      log(`no prebuilt worker (${res.status}); building it instead`);
      return false;
    }
    const dir = join(tmpdir(), `parley-ms-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const tgz = join(dir, 'worker.tgz');
    writeFileSync(tgz, Buffer.from(await res.arrayBuffer()));
    const untar = spawnSync('tar', ['-xzf', tgz, '-C', dir], { stdio: 'inherit' });
    const bin = join(dir, 'mediasoup-worker');
    const ok = untar.status === 0 && existsSync(bin) && runs(bin);
    if (ok) install(bin, 'prebuilt download');
    rmSync(dir, { recursive: true, force: true });
    if (!ok) log('the prebuilt worker does not run on this machine; building it instead');
    return ok;
  } catch (err) {
    log(`prebuilt worker not reachable (${err instanceof Error ? err.message : String(err)}); building it from Debian packages`);
    return false;
  }
}

function build() {
  const script = join(root, 'scripts/build-mediasoup-worker.sh');
  const res = spawnSync('bash', [script, '--print-path'], {
    cwd: root,
    // The build script reads the version with a relative require.
    env: { ...process.env, MEDIASOUP_DIR: relative(root, msDir) },
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  const bin = res.stdout.trim().split('\n').pop();
  if (res.status !== 0 || !bin || !existsSync(bin)) {
    log('could not build the mediasoup worker (see above).');
    log('On Debian 12 as root it installs: meson ninja-build pkg-config g++ patch libuv1-dev libssl-dev libsrtp2-dev');
    log('libabsl-dev libflatbuffers-dev flatbuffers-compiler. Without root, install those with apt-get first.');
    process.exit(1);
  }
  install(bin, `built from Debian packages, cached at ${bin}`);
}

if (process.env.MEDIASOUP_WORKER_BIN) {
  if (!runs(process.env.MEDIASOUP_WORKER_BIN)) {
    log(`MEDIASOUP_WORKER_BIN=${process.env.MEDIASOUP_WORKER_BIN} does not run`);
    process.exit(1);
  }
} else if (existsSync(target) && runs(target)) {
  // Already in place.
} else if (!(await download())) {
  build();
}
