/** @parley/protocol: the wire contract between the Parley server and its clients. */
export * from './version.js';
export * from './errors.js';
export * from './ids.js';
export * from './model.js';
export * from './e2ee.js';
export * from './policy.js';
export * from './client.js';
export * from './server.js';
export * from './api.js';
export * from './links.js';
export * from './browsers.js';
export * from './admin-policy.js';
export * from './oidc.js';
export * from './admin-audit.js';
export * from './admin-accounts.js';
export * from './posture.js';
export * from './cluster.js';
