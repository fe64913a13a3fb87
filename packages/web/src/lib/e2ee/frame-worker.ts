/**
 * The media-encryption worker of an end-to-end encrypted meeting (one per meeting session):
 * @parley/e2ee's transform worker installs itself in the dedicated worker that loads this module.
 * It encrypts and decrypts every RTP sender's and receiver's frames with the keys the page posts,
 * and drops any frame it has no key for.
 */
import '@parley/e2ee/sframe/worker';
