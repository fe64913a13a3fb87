/** The test OpenID Provider's people (provider.ts): their login is their subject. */
export const TEST_ACCOUNTS = {
  alice: { email: 'alice@example.test', verified: true, name: 'Alice Example' },
  bob: { email: 'bob@example.test', verified: true, name: 'Bob Example' },
  carol: { email: 'carol@example.test', verified: true, name: 'Carol Example' },
  dave: { email: 'dave@example.test', verified: false, name: 'Dave Unverified' },
  erin: { email: 'erin@example.test', verified: true, name: 'Erin Example' },
  frank: { email: 'frank@example.test', verified: true, name: 'Frank Example' },
  grace: { email: 'grace@example.test', verified: true, name: 'Grace Example' },
} as const;
export type TestLogin = keyof typeof TEST_ACCOUNTS;
/** Every test account's password at this provider. */
export const TEST_PROVIDER_PASSWORD = 'provider-password';
