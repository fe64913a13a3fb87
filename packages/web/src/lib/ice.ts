/** Non-trickle ICE: Parley signals complete SDP, so each side waits for candidate gathering to end. */

/** Resolves when `pc` has gathered its candidates, or after `maxMs` with whatever it has. */
export function waitForIceGathering(pc: RTCPeerConnection, maxMs = 1000): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', onChange);
      resolve();
    };
    const onChange = (): void => {
      if (pc.iceGatheringState === 'complete') done();
    };
    const timer = setTimeout(done, maxMs);
    pc.addEventListener('icegatheringstatechange', onChange);
  });
}

/** The configuration for both of a client's connections: only the operator's servers, never a public default. */
export function peerConfig(iceServers: RTCIceServer[]): RTCConfiguration {
  return { iceServers, bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' };
}
