/**
 * The one boundary between Parley's wire protocol and mediasoup-client's types. The protocol carries
 * media parameters as plain JSON objects (`Record<string, unknown>`) that the server's media plane
 * validates in depth; mediasoup-client wants its own structural types. Every cast lives here.
 */
import type { types } from 'mediasoup-client';
import type { IceServer, TransportOptions as WireTransportOptions } from '@parley/protocol';

export type Json = Record<string, unknown>;

export function asRtpCapabilities(json: Json): types.RtpCapabilities {
  return json as unknown as types.RtpCapabilities;
}

export function asRtpParameters(json: Json): types.RtpParameters {
  return json as unknown as types.RtpParameters;
}

export function asIceParameters(json: Json): types.IceParameters {
  return json as unknown as types.IceParameters;
}

/** A transport's options from `setupMedia`, with the operator's ICE servers (never a public default). */
export function asTransportOptions(wire: WireTransportOptions, iceServers: readonly IceServer[]): types.TransportOptions {
  return {
    id: wire.id,
    iceParameters: asIceParameters(wire.iceParameters),
    iceCandidates: wire.iceCandidates as unknown as types.IceCandidate[],
    dtlsParameters: wire.dtlsParameters as unknown as types.DtlsParameters,
    iceServers: iceServers as RTCIceServer[],
  };
}

/** mediasoup-client's parameter objects are plain JSON: send them as they are. */
export function toJson(value: types.RtpCapabilities | types.RtpParameters | types.DtlsParameters): Json {
  return value as unknown as Json;
}
