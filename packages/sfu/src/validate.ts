/**
 * Shape checks for arguments that come from the network. mediasoup validates the media
 * parameters in depth; these make sure the SFU's own fields are what they claim to be first.
 */
import type { types as ms } from 'mediasoup';
import { SfuError } from './errors.js';
import type { Layer, MediaJson, MediaKind, ProduceSpec, TrackSource, TransportDirection } from './types.js';

const SOURCE_KIND: Record<TrackSource, MediaKind> = { microphone: 'audio', 'screen-audio': 'audio', camera: 'video', screen: 'video' };
const LAYERS: readonly Layer[] = ['low', 'medium', 'high'];

function bad(message: string): SfuError {
  return new SfuError('invalid-argument', message);
}

export function checkId(what: string, id: unknown): asserts id is string {
  if (typeof id !== 'string' || id.length === 0 || id.length > 256) throw bad(`${what} must be a non-empty string`);
}

export function checkDirection(direction: unknown): asserts direction is TransportDirection {
  if (direction !== 'send' && direction !== 'recv') throw bad(`direction must be 'send' or 'recv'`);
}

export function checkMediaJson(what: string, value: unknown): MediaJson {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad(`${what} must be an object`);
  return value as MediaJson;
}

export interface CheckedSpec {
  trackId: string;
  kind: MediaKind;
  source: TrackSource;
  rtpParameters: ms.RtpParameters;
  paused: boolean;
}

export function checkProduceSpec(spec: ProduceSpec): CheckedSpec {
  const s = checkMediaJson('spec', spec);
  checkId('trackId', s.trackId);
  const { kind, source, paused } = s;
  if (kind !== 'audio' && kind !== 'video') throw bad(`kind must be 'audio' or 'video'`);
  if (typeof source !== 'string' || !(source in SOURCE_KIND)) throw bad('unknown track source');
  if (SOURCE_KIND[source as TrackSource] !== kind) throw bad(`a ${source} track cannot be ${kind}`);
  if (typeof paused !== 'boolean') throw bad('paused must be a boolean');
  const rtpParameters = structuredClone(checkMediaJson('rtpParameters', s.rtpParameters));
  const codecs = rtpParameters.codecs;
  if (!Array.isArray(codecs) || codecs.length === 0) throw bad('rtpParameters.codecs must be a non-empty array');
  for (const codec of codecs as unknown[]) {
    const mimeType = (checkMediaJson('codec', codec) as { mimeType?: unknown }).mimeType;
    if (typeof mimeType !== 'string') throw bad('codec.mimeType must be a string');
    const type = mimeType.toLowerCase().split('/')[0];
    // RTX and FEC carry the kind of the media they repair, so every codec must match `kind`.
    if (type !== kind) throw bad(`codec ${mimeType} in a ${kind} track`);
  }
  return { trackId: s.trackId, kind, source: source as TrackSource, rtpParameters: rtpParameters as unknown as ms.RtpParameters, paused };
}

export function checkPreference(preference: unknown): { hidden?: boolean; layer?: Layer } {
  const p = checkMediaJson('preference', preference) as { hidden?: unknown; layer?: unknown };
  if (p.hidden !== undefined && typeof p.hidden !== 'boolean') throw bad('hidden must be a boolean');
  if (p.layer !== undefined && !LAYERS.includes(p.layer as Layer)) throw bad(`layer must be one of ${LAYERS.join(', ')}`);
  return { ...(p.hidden !== undefined ? { hidden: p.hidden } : {}), ...(p.layer !== undefined ? { layer: p.layer as Layer } : {}) };
}
