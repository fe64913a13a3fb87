/** The wire protocol's version. Bump on any incompatible change; `hello` carries it. */
export const PROTOCOL_VERSION = 1;

/** Largest signaling message (either direction, UTF-8 bytes) a peer accepts. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
