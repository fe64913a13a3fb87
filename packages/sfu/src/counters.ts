/** The SFU-wide monotonic counters behind SfuStats; shared by reference with tracks and subscriptions. */
export class Counters {
  packetsReceived = 0;
  packetsForwarded = 0;
  keyframeRequests = 0;
  /** Retransmissions by subscriber connections that are closed now (live ones are read on demand). */
  retransmissionsOfClosed = 0;
}
