/**
 * A wiretap for tests: a consumer on the server side, on a plain RTP transport, that records what the
 * SFU forwards for one video track, as an attacker with the server's media would see it. Used to
 * prove that an end-to-end encrypted meeting's forwarded frames decode to nothing while the
 * participants decode them (and, as a control, that a standard meeting's do decode).
 */
import { createSocket, type Socket } from 'node:dgram';
import type { types as ms } from 'mediasoup';
import type { SfuControl } from '../types.js';
import { internals } from './harness.js';
import { Vp8Depacketizer } from './vp8-depacketizer.js';

export interface Tap {
  /** Frames reassembled so far (each the bytes an encoder produced, as forwarded). */
  readonly frames: readonly Uint8Array[];
  readonly packets: number;
  /** Asks the publisher for a keyframe (through the SFU), so a recording can start decodable. */
  requestKeyFrame(): Promise<void>;
  close(): void;
}

export async function tapVideo(sfu: SfuControl, trackId: string): Promise<Tap> {
  const router = internals(sfu).router(trackId);
  const producer = internals(sfu).producer(trackId);
  if (!router || !producer) throw new Error(`no track ${trackId} to tap`);
  const socket: Socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const transport: ms.PlainTransport = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: false });
  await transport.connect({ ip: '127.0.0.1', port: socket.address().port });
  const consumer = await transport.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities, paused: false });
  const vp8 = consumer.rtpParameters.codecs.find((c) => c.mimeType.toLowerCase() === 'video/vp8');
  if (!vp8) throw new Error(`track ${trackId} is not VP8 (${consumer.rtpParameters.codecs.map((c) => c.mimeType).join(', ')})`);
  const depacketizer = new Vp8Depacketizer(vp8.payloadType);
  let packets = 0;
  socket.on('message', (packet) => {
    packets += 1;
    depacketizer.push(new Uint8Array(packet));
  });
  return {
    get frames() {
      return depacketizer.frames;
    },
    get packets() {
      return packets;
    },
    requestKeyFrame: () => consumer.requestKeyFrame(),
    close() {
      consumer.close();
      transport.close();
      socket.close();
    },
  };
}
