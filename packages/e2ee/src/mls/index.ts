/**
 * MLS (RFC 9420) for Parley's end-to-end encrypted meetings, behind one small interface:
 * browsers use `createMember`/`MlsMember`; the server uses `DeliveryService` (with an
 * `ExternalSender`) and the `inspect*` functions. Nothing here exposes ts-mls types, so the library
 * underneath can be replaced (see mls-lib.ts).
 */
export { MLS_ERROR_CODES, MlsError, type MlsErrorCode } from './errors.js';
export { MAX_IDENTITY_BYTES, decodeIdentity, encodeIdentity, sameIdentity, validateIdentity, type Identity } from './identity.js';
export { SECURITY_CODE_GROUPS, SECURITY_CODE_GROUP_DIGITS, securityCodeFromAuthenticator } from './security-code.js';
export {
  MAX_CHAT_BYTES,
  SFRAME_EXPORTER_LABEL,
  SFRAME_KEY_LENGTH,
  createMember,
  type ChatMessage,
  type ExpectedProposal,
  type GroupMember,
  type MemberOptions,
  type MlsMember,
  type PendingCommit,
} from './member.js';
export { ExternalSender } from './external-sender.js';
export {
  MAX_KEY_PACKAGE_BYTES,
  inspectKeyPackage,
  inspectMessage,
  inspectRatchetTree,
  inspectWelcome,
  leafIndexOf,
  type KeyPackageInfo,
  type MessageContentType,
  type MessageInfo,
  type MessageWireFormat,
  type TreeInfo,
  type TreeLeaf,
  type WelcomeInfo,
} from './inspect.js';
export {
  DEFAULT_COMMIT_TIMEOUT_MS,
  DEFAULT_MAX_ADDS_PER_BATCH,
  DeliveryService,
  MAX_APPLICATION_BYTES,
  type Delivery,
  type DeliveryServiceOptions,
  type DsMessage,
  type DsSnapshot,
  type ParticipantId,
  type ProposalAnnouncement,
  type RejectedInput,
} from './delivery.js';
export { CIPHER_SUITE } from './mls-lib.js';
