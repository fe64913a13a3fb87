/**
 * The meeting's side of end-to-end encryption: the MLS delivery service and external sender of
 * @parley/e2ee for one room, and the translation between its deliveries and `e2ee` events. The
 * server relays and orders MLS messages; it holds no group secret, reads only public headers and
 * trees, and so cannot decrypt media or chat. Owned by its Room and driven inside the room's queue.
 */
import { DeliveryService, ExternalSender, type Delivery, type DsMessage, type Identity } from '@parley/e2ee/mls';
import { ParleyError, type E2eeDelivery, type MeetingSettings } from '@parley/protocol';
import type { Participant } from './participant.js';

/** Whether the meeting's media and chat are end-to-end encrypted (every sensitive meeting). */
export function isE2ee(settings: MeetingSettings): boolean {
  return settings.e2ee;
}

/** The identity the server verified, as the participant's MLS credential must state it. */
export function identityOf(participant: Participant): Identity {
  return { participantId: participant.id, accountId: participant.entrant.userId, displayName: participant.displayName };
}

/** MLS bytes as the protocol carries them (standard base64). */
export const b64 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/** Base64 the protocol already checked; decoded strictly (the schema admits only canonical base64). */
export function bytesOf(base64: string): Uint8Array {
  return new Uint8Array(Buffer.from(base64, 'base64'));
}

/** A delivery service message as it goes on the wire. */
export function toWire(message: DsMessage): E2eeDelivery {
  switch (message.kind) {
    case 'create':
      return { kind: 'create', groupId: b64(message.groupId), externalSender: b64(message.externalSender) };
    case 'proposals':
      return {
        kind: 'proposals',
        groupId: b64(message.groupId),
        epoch: message.epoch,
        proposals: message.proposals.map((p) => ({ kind: p.kind, participantId: p.participantId, identity: { ...p.identity }, message: b64(p.message) })),
      };
    case 'commitRequest':
      return { kind: 'commitRequest', groupId: b64(message.groupId), epoch: message.epoch };
    case 'commit':
      return { kind: 'commit', groupId: b64(message.groupId), epoch: message.epoch, committer: message.committer, commit: b64(message.commit) };
    case 'welcome':
      return {
        kind: 'welcome',
        groupId: b64(message.groupId),
        epoch: message.epoch,
        welcome: b64(message.welcome),
        ratchetTree: b64(message.ratchetTree),
        externalSender: b64(message.externalSender),
      };
    case 'rejected':
      return { kind: 'rejected', code: message.code, input: message.input, reason: message.reason.slice(0, 500) };
    case 'application':
      return { kind: 'application', groupId: b64(message.groupId), epoch: message.epoch, from: message.from, message: b64(message.message) };
    case 'removed':
      return { kind: 'removed' };
  }
}

/** Refusals that say someone tried to be who they are not: audited. The rest is ordinary protocol churn. */
const SUSPICIOUS = new Set(['mls_bad_identity', 'mls_bad_key_package', 'mls_bad_welcome', 'mls_bad_ratchet_tree', 'mls_not_member', 'mls_not_creator']);

export interface RelayHooks {
  /** Sends an event to one participant, if they are still here. */
  send(participantId: string, message: E2eeDelivery): void;
  /** A participant's input was refused for a reason worth an audit entry. */
  suspicious(participantId: string, code: string, input: string): void;
}

export class E2eeRelay {
  readonly #hooks: RelayHooks;
  #ds: Promise<DeliveryService> | undefined;

  constructor(hooks: RelayHooks) {
    this.#hooks = hooks;
  }

  /** Whether a delivery service exists (someone has been ready since the room opened). */
  get active(): boolean {
    return this.#ds !== undefined;
  }

  ready(participant: Participant, keyPackage: string): Promise<void> {
    return this.#run((ds) => ds.memberReady(participant.id, identityOf(participant), bytesOf(keyPackage)), participant.id);
  }

  groupCreated(participant: Participant, groupId: string, ratchetTree: string): Promise<void> {
    return this.#run((ds) => ds.groupCreated(participant.id, bytesOf(groupId), bytesOf(ratchetTree)), participant.id);
  }

  commit(participant: Participant, commit: string, welcome: string | undefined, ratchetTree: string): Promise<void> {
    return this.#run((ds) => ds.commitReceived(participant.id, bytesOf(commit), welcome === undefined ? undefined : bytesOf(welcome), bytesOf(ratchetTree)), participant.id);
  }

  application(participant: Participant, message: string): Promise<void> {
    return this.#run((ds) => ds.applicationReceived(participant.id, bytesOf(message)), participant.id);
  }

  /** Someone left, was removed, or the meeting ended for them: out of the group at once. */
  async gone(participantId: string): Promise<void> {
    if (!this.#ds) return;
    await this.#run((ds) => ds.memberGone(participantId), null);
  }

  /** Re-asks a silent creator or committer. */
  async tick(now: number): Promise<void> {
    if (!this.#ds) return;
    await this.#run((ds) => ds.tick(now), null);
  }

  async #run(step: (ds: DeliveryService) => Promise<Delivery[]>, from: string | null): Promise<void> {
    this.#ds ??= ExternalSender.generate().then((externalSender) => new DeliveryService({ externalSender, now: Date.now() }));
    let deliveries: Delivery[];
    try {
      deliveries = await step(await this.#ds);
    } catch (err) {
      throw new ParleyError('internal', `the encryption relay failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    for (const delivery of deliveries) {
      const message = toWire(delivery.message);
      if (message.kind === 'rejected' && from !== null && SUSPICIOUS.has(message.code)) this.#hooks.suspicious(from, message.code, message.input);
      for (const to of delivery.to) this.#hooks.send(to, message);
    }
  }
}
