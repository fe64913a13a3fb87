/**
 * libwebrtc in Node (@roamhq/wrtc) set up as a browser has it, for Node-side participants (tests,
 * bench, soak): the WebRTC globals mediasoup-client's Chrome handler uses, and the exit workaround
 * (libwebrtc's native teardown crashes at a normal process exit, which would turn a passing run into
 * a failed one: leave with the exit code Node already chose, before that teardown). Import it once,
 * before mediasoup-client creates a Device.
 */
import wrtc from '@roamhq/wrtc';

process.once('exit', (code) => process.exit(code));

Object.assign(globalThis, {
  RTCPeerConnection: wrtc.RTCPeerConnection,
  RTCSessionDescription: wrtc.RTCSessionDescription,
  RTCIceCandidate: wrtc.RTCIceCandidate,
  MediaStream: wrtc.MediaStream,
  MediaStreamTrack: wrtc.MediaStreamTrack,
});

export { wrtc };
