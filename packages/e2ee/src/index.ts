/**
 * @parley/e2ee: end-to-end encryption of sensitive meetings. Runs unchanged in browsers and in Node
 * (WebCrypto only). `sframe` protects media frames; `mls` agrees the keys.
 */
export * as sframe from './sframe/index.js';
export * as mls from './mls/index.js';
