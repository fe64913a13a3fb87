/** The create form's security choices: a sensitive meeting sets what its class forces, and asks for nothing weaker. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SAFE_CHOICES, settingsPatch, withSensitivity } from './SecurityOptions.js';

test('choosing a sensitive meeting sets what the class forces; going back keeps the safe values', () => {
  const weak = { ...SAFE_CHOICES, lobby: false, hostFirst: false, access: 'anyone' as const, membersSkipLobby: true, public: true };
  const sensitive = withSensitivity(weak, true);
  assert.deepEqual(sensitive, { ...SAFE_CHOICES, sensitive: true, access: 'organization' });
  // The patch asks for nothing the server would refuse for a sensitive meeting.
  assert.deepEqual(settingsPatch(sensitive), { access: 'organization' });
  const back = withSensitivity(sensitive, false);
  assert.deepEqual(back, { ...SAFE_CHOICES, access: 'organization' }, 'unticking keeps the stricter choices');
  assert.equal(SAFE_CHOICES.sensitive, false, 'standard by default');
});
