/**
 * The one boundary between Parley's wire protocol and mediasoup-client's types. The protocol carries
 * media parameters as plain JSON objects (`Record<string, unknown>`) that the server's media plane
 * validates in depth; mediasoup-client wants its own structural types. Every cast lives here.
 */
import type { types } from 'mediasoup-client';
import type { IceServer, IceTransportPolicy, TransportOptions as WireTransportOptions } from '@parley/protocol';

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

/** The operator's ICE servers as the browser takes them (never a public default). */
export function asIceServers(iceServers: readonly IceServer[]): RTCIceServer[] {
  return iceServers as RTCIceServer[];
}

/** A transport's options from `setupMedia`, with the operator's ICE servers and the server's ICE transport policy. */
export function asTransportOptions(wire: WireTransportOptions, ice: { iceServers: readonly IceServer[]; iceTransportPolicy: IceTransportPolicy }): types.TransportOptions {
  return {
    id: wire.id,
    iceParameters: asIceParameters(wire.iceParameters),
    iceCandidates: wire.iceCandidates as unknown as types.IceCandidate[],
    dtlsParameters: wire.dtlsParameters as unknown as types.DtlsParameters,
    iceServers: asIceServers(ice.iceServers),
    iceTransportPolicy: ice.iceTransportPolicy,
  };
}

/** mediasoup-client's parameter objects are plain JSON: send them as they are. */
export function toJson(value: types.RtpCapabilities | types.RtpParameters | types.DtlsParameters): Json {
  return value as unknown as Json;
}
