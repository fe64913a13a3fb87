/**
 * The browser's mediasoup-client Device: whether this browser can take part at all (pre-join asks
 * before anyone joins or knocks), and loading a Device with a room router's RTP capabilities.
 * mediasoup-client picks its handler (Chrome111, Firefox120, Safari12) from the browser; the name
 * is logged once and exposed as `window.__parleyMediaHandler` for tests and bug reports.
 */
import { Device, detectDeviceAsync } from 'mediasoup-client';
import { asRtpCapabilities, type Json } from './mediasoupTypes.js';

declare global {
  interface Window {
    /** The mediasoup-client handler this page uses (e.g. "Chrome111"), once a Device is loaded. */
    __parleyMediaHandler?: string;
  }
}

let announced = false;

/** Whether this browser can send and receive media with Parley (WebRTC and a known mediasoup-client handler). */
export async function mediaSupported(): Promise<boolean> {
  if (typeof RTCPeerConnection !== 'function') return false;
  try {
    return (await detectDeviceAsync()) !== undefined;
  } catch {
    return false;
  }
}

/** A Device loaded for one router. A new router (a server restart) needs a new Device. */
export async function loadDevice(routerRtpCapabilities: Json): Promise<Device> {
  const device = await Device.factory();
  await device.load({ routerRtpCapabilities: asRtpCapabilities(routerRtpCapabilities) });
  if (!announced) {
    announced = true;
    console.info(`Parley media: mediasoup-client handler ${device.handlerName}`);
  }
  window.__parleyMediaHandler = device.handlerName;
  return device;
}
