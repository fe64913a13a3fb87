/** What the bench (parent) and its peer processes (children) say to each other over Node's IPC. */

export type Layer = 'low' | 'medium' | 'high';

export interface ParleyPeerSpec {
  name: string;
  audio: boolean;
  video: boolean;
}

export type PeerJob =
  | {
      role: 'parley';
      wsUrl: string;
      meetingId: string;
      passcode: string | null;
      /** WebSocket source address (the server caps sockets per address). */
      localAddress: string;
      peers: ParleyPeerSpec[];
      width: number;
      height: number;
      /** The simulcast layer subscribers ask for (setSubscription). */
      layer: Layer;
      /** How many peers join at once. */
      concurrency: number;
    }
  | { role: 'parley-first-frame'; wsUrl: string; meetingId: string; passcode: string | null; localAddress: string; runs: number }
  | { role: 'janus-publisher'; url: string; room: number; width: number; height: number }
  | { role: 'janus-subscribers'; url: string; room: number; feed: number; count: number; concurrency: number };

export interface PeerStats {
  connected: boolean;
  audioPackets: number;
  videoPackets: number;
  lost: number;
  videoLost: number;
}

export interface LayerStat {
  rid: string;
  packetsSent: number;
  /** Of packetsSent, retransmissions (NACKed by the server). */
  retransmitted: number;
  bytesSent: number;
  frameWidth: number;
  /** Only on the pseudo-layer 'bwe': the sender's bandwidth estimate (bit/s). */
  bwe?: number;
}

export type ParentMessage = { type: 'stats' } | { type: 'stop' };

export type ChildMessage =
  | { type: 'ready'; feed?: number; failures: string[] }
  | { type: 'stats'; peers: PeerStats[]; layers: LayerStat[] }
  | { type: 'result'; values: number[] }
  | { type: 'error'; message: string };
