/**
 * A participant's end-to-end encryption, driven over a real socket the way the web client drives it:
 * a real MLS member (@parley/e2ee) answering the delivery service's `e2ee` events in order, and the
 * SFrame keys of each epoch in a real KeyRing. For integration tests of the server's relay.
 */
import { createMember, type MlsMember } from '@parley/e2ee/mls';
import { KeyRing, mlsEpochKeys } from '@parley/e2ee/sframe';
import type { E2eeDelivery, RoomState, ServerMessage } from '@parley/protocol';
import { b64, bytesOf as bytes } from '../rooms/e2ee-relay.js';
import type { TestClient } from './ws-client.js';


export class TestMls {
  readonly client: TestClient;
  readonly participantId: string;
  member!: MlsMember;
  readonly keys = new KeyRing();
  /** Every delivery this participant was sent, in order. */
  readonly deliveries: E2eeDelivery[] = [];
  readonly chats: { from: string; text: string }[] = [];
  readonly errors: string[] = [];
  #chain: Promise<void> = Promise.resolve();
  #stopped = false;

  private constructor(client: TestClient, participantId: string) {
    this.client = client;
    this.participantId = participantId;
  }

  /** Makes a member for `accountId` and announces it (`e2eeReady`). */
  static async start(client: TestClient, state: RoomState, accountId: string | null): Promise<TestMls> {
    const mls = new TestMls(client, state.self.id);
    mls.member = await createMember({ participantId: state.self.id, accountId, displayName: state.self.displayName });
    client.on((m: ServerMessage) => {
      if (m.type !== 'e2ee') return;
      mls.deliveries.push(m.message);
      mls.#chain = mls.#chain.then(() => mls.#handle(m.message)).catch((err: unknown) => {
        mls.errors.push(err instanceof Error ? err.message : String(err));
      });
    });
    await client.request('e2eeReady', { keyPackage: b64(mls.member.keyPackage()) });
    return mls;
  }

  /** The epoch whose media keys are in place (the member's epoch once its keys are derived), or undefined. */
  get epoch(): number | undefined {
    if (!this.member.groupId || this.keys.epoch === undefined) return undefined;
    return BigInt(this.member.epoch) === this.keys.epoch ? this.member.epoch : undefined;
  }

  /** Stops answering (as a removed person's client would be cut off, but keeps its state for the test). */
  stop(): void {
    this.#stopped = true;
  }

  async sendChat(text: string): Promise<string> {
    const message = b64(await this.member.encryptChat(new TextEncoder().encode(text)));
    await this.client.request('e2eeChat', { message });
    return message;
  }

  async #handle(message: E2eeDelivery): Promise<void> {
    if (this.#stopped) return;
    const m = this.member;
    switch (message.kind) {
      case 'create': {
        const { ratchetTree } = await m.createGroup(bytes(message.groupId), bytes(message.externalSender));
        await this.#epochChanged();
        await this.client.request('e2eeGroupCreated', { groupId: message.groupId, ratchetTree: b64(ratchetTree) });
        return;
      }
      case 'proposals':
        for (const p of message.proposals) await m.handleProposal(bytes(p.message), { kind: p.kind, identity: p.identity });
        return;
      case 'commitRequest': {
        const pending = await m.commitPending();
        await this.client.request('e2eeCommit', {
          commit: b64(pending.commit),
          ratchetTree: b64(pending.ratchetTree),
          ...(pending.welcome ? { welcome: b64(pending.welcome) } : {}),
        });
        return;
      }
      case 'commit':
        if (message.committer === this.participantId) await m.confirmOwnCommit();
        else await m.handleCommit(bytes(message.commit));
        await this.#epochChanged();
        return;
      case 'welcome':
        await m.joinFromWelcome(bytes(message.welcome), bytes(message.ratchetTree), bytes(message.externalSender));
        await this.#epochChanged();
        return;
      case 'rejected':
        if (message.input === 'commit') m.discardOwnCommit();
        this.errors.push(message.code);
        return;
      case 'application': {
        const { plaintext } = await m.decryptChat(bytes(message.message));
        this.chats.push({ from: message.from, text: new TextDecoder().decode(plaintext) });
        return;
      }
      case 'removed':
        this.#stopped = true;
        return;
    }
  }

  async #epochChanged(): Promise<void> {
    const members = this.member.members();
    const keys = mlsEpochKeys({
      epochSecret: await this.member.sframeEpochSecret(),
      epoch: this.member.epoch,
      ownLeafIndex: this.member.ownLeafIndex(),
      memberLeafIndices: members.map((x) => x.leafIndex),
    });
    await this.keys.setEpoch(keys);
  }
}
