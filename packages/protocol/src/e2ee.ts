/**
 * End-to-end encryption signaling (sensitive meetings): the MLS (RFC 9420) messages between each
 * browser and the server, which is the group's delivery service and sole external sender. Every MLS
 * structure travels as standard base64 of its TLS encoding; the server reads only public headers
 * (group ID, epoch, content type, the public ratchet tree) and never a key. docs/protocol.md §8
 * describes the flow.
 */
import { z } from 'zod';
import { DisplayName, OpaqueId } from './ids.js';

/** Base64 of MLS bytes; the 64 KiB message limit bounds the total. */
export const MlsBytes = z
  .string()
  .min(4)
  .max(60_000)
  .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'not base64');
export type MlsBytes = z.infer<typeof MlsBytes>;

const Epoch = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** Who an MLS leaf belongs to, as the server verified it (bound into the leaf's credential). */
export const E2eeIdentity = z.object({
  participantId: OpaqueId,
  accountId: z.string().min(1).max(128).nullable(),
  displayName: DisplayName,
});
export type E2eeIdentity = z.infer<typeof E2eeIdentity>;

/** A delivery service refusal: `mls_stale_commit`, `mls_bad_key_package`, ... (see @parley/e2ee's MlsErrorCode). */
const MlsRejectionCode = z.string().regex(/^mls_[a-z_]{1,40}$/);

/** What the delivery service tells one participant (the `message` of an `e2ee` event). */
export const E2eeDelivery = z.discriminatedUnion('kind', [
  /** You are the first: create the group with this ID and the server as external sender. */
  z.object({ kind: z.literal('create'), groupId: MlsBytes, externalSender: MlsBytes }),
  /** The server's proposals for `epoch` (in order): handle each, expecting who it names. */
  z.object({
    kind: z.literal('proposals'),
    groupId: MlsBytes,
    epoch: Epoch,
    proposals: z
      .array(z.object({ kind: z.enum(['add', 'remove']), participantId: OpaqueId, identity: E2eeIdentity, message: MlsBytes }))
      .min(1)
      .max(64),
  }),
  /** You commit the proposals of `epoch`. */
  z.object({ kind: z.literal('commitRequest'), groupId: MlsBytes, epoch: Epoch }),
  /** The accepted commit made in `epoch` (the committer gets it too, as confirmation). */
  z.object({ kind: z.literal('commit'), groupId: MlsBytes, epoch: Epoch, committer: OpaqueId, commit: MlsBytes }),
  /** Your Welcome into `epoch`, the group's public ratchet tree, and the server's entry to check. */
  z.object({ kind: z.literal('welcome'), groupId: MlsBytes, epoch: Epoch, welcome: MlsBytes, ratchetTree: MlsBytes, externalSender: MlsBytes }),
  /** The server refused what you sent (`input`), with a code. */
  z.object({ kind: z.literal('rejected'), code: MlsRejectionCode, input: z.enum(['keyPackage', 'create', 'groupCreated', 'commit', 'application']), reason: z.string().max(500) }),
  /** An encrypted chat message (MLS application message) of the current epoch. */
  z.object({ kind: z.literal('application'), groupId: MlsBytes, epoch: Epoch, from: OpaqueId, message: MlsBytes }),
  /** You are out of the group: nothing more comes. */
  z.object({ kind: z.literal('removed') }),
]);
export type E2eeDelivery = z.infer<typeof E2eeDelivery>;
