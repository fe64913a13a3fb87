import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_POLICY } from '@parley/protocol';
import pino from 'pino';
import { fixedPolicy } from '../policy/policy-store.js';
import { ClientBuilds, meetsMinimum, readServedBuild, versionOf } from './builds.js';

test('builds compare by version precedence; the content hash does not count', () => {
  assert.equal(meetsMinimum('0.1.0+abc', '0.1.0'), true);
  assert.equal(meetsMinimum('0.1.0', '0.1.0+abc'), true);
  assert.equal(meetsMinimum('0.1.1', '0.1.0'), true);
  assert.equal(meetsMinimum('0.0.9+abc', '0.1.0'), false);
  assert.equal(meetsMinimum('0.2.0-rc.1', '0.2.0'), false, 'a pre-release is below its release');
  assert.equal(meetsMinimum('test', '0.1.0'), false, 'a build that is not a version is never accepted');
  assert.equal(versionOf('1.2.3+abcdef'), '1.2.3');
  assert.equal(versionOf('nope'), null);
});

test('the served build is read from build.json; the minimum is its version unless the policy sets one', () => {
  const root = mkdtempSync(join(tmpdir(), 'parley-builds-'));
  try {
    assert.equal(readServedBuild(root), undefined);
    writeFileSync(join(root, 'build.json'), '{"build":"not a version"}');
    assert.equal(readServedBuild(root), undefined);
    writeFileSync(join(root, 'build.json'), '{"build":"0.3.0+0123456789ab"}');
    assert.equal(readServedBuild(root), '0.3.0+0123456789ab');
    const log = pino({ level: 'silent' });
    const builds = new ClientBuilds({ webRoot: root, policy: fixedPolicy(), log, fallback: '0.1.0' });
    assert.equal(builds.served, '0.3.0+0123456789ab');
    assert.equal(builds.minimum(), '0.3.0');
    assert.equal(builds.accepts('0.3.0+ffffffffffff'), true);
    assert.equal(builds.accepts('0.2.9'), false);
    builds.close();
    const pinned = new ClientBuilds({ webRoot: root, policy: fixedPolicy({ ...DEFAULT_POLICY, minimumClientBuild: '0.2.0' }), log, fallback: '0.1.0' });
    assert.equal(pinned.minimum(), '0.2.0');
    assert.equal(pinned.accepts('0.2.9'), true);
    pinned.close();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
