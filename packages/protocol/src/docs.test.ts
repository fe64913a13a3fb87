/** docs/protocol.md documents every message type and every error code (with its HTTP status). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { CLIENT_MESSAGE_TYPES, ERRORS, ERROR_CODES, SERVER_MESSAGE_TYPES } from './index.js';

const doc = readFileSync(new URL('../../../docs/protocol.md', import.meta.url), 'utf8');

test('every message type is documented', () => {
  for (const type of [...CLIENT_MESSAGE_TYPES, ...SERVER_MESSAGE_TYPES]) {
    assert.ok(doc.includes(`\`${type}\``), `docs/protocol.md does not mention \`${type}\``);
  }
});

test('every error code is documented with its HTTP status', () => {
  for (const code of ERROR_CODES) {
    const row = doc.split('\n').find((line) => line.startsWith(`| \`${code}\` |`));
    assert.ok(row, `docs/protocol.md has no row for \`${code}\``);
    assert.ok(row.includes(`| ${ERRORS[code].status} |`), `the row for ${code} does not give status ${ERRORS[code].status}`);
  }
});
