/**
 * The codecs every router offers. Chosen so that Chromium, Firefox and Safari always share one:
 * Opus for audio; VP8 everywhere, VP9 (profiles 0 and 2) where supported, H.264 constrained
 * baseline and main (packetization-mode 1) for Safari and hardware encoders. mediasoup adds the
 * header extensions (transport-wide-cc, abs-send-time, audio level, ...) and RTCP feedback
 * (transport-cc, goog-remb, nack, pli) itself; nothing here strips them.
 */
import type { types as ms } from 'mediasoup';

export const mediaCodecs: ms.RouterRtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000 },
  { kind: 'video', mimeType: 'video/VP9', clockRate: 90000, parameters: { 'profile-id': 0 } },
  { kind: 'video', mimeType: 'video/VP9', clockRate: 90000, parameters: { 'profile-id': 2 } },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 },
  },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: { 'packetization-mode': 1, 'profile-level-id': '4d0032', 'level-asymmetry-allowed': 1 },
  },
];
