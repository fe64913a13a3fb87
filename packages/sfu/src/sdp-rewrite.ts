/**
 * Corrects werift's SDP output before it goes to a client. werift writes port 0 for every
 * inactive m-line, and port 0 means *rejected* (RFC 3264): browsers stop such a transceiver and
 * refuse a BUNDLE group that lists it. An m-line the SFU merely paused keeps the discard port 9;
 * only m-lines the client itself rejected stay at port 0, and leave the BUNDLE group.
 */
const SECTION_START = /^m=(\w+) (\d+) /;

export function fixMediaPorts(sdp: string, rejectedMids: ReadonlySet<string> = new Set()): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const lines = sdp.split(eol);
  const sections: { start: number; mid?: string }[] = [];
  lines.forEach((line, index) => {
    if (SECTION_START.test(line)) sections.push({ start: index });
    const mid = /^a=mid:(.+)$/.exec(line)?.[1];
    const current = sections.at(-1);
    if (mid !== undefined && current) current.mid = mid.trim();
  });
  for (const section of sections) {
    const rejected = section.mid !== undefined && rejectedMids.has(section.mid);
    const line = lines[section.start] ?? '';
    lines[section.start] = line.replace(SECTION_START, (_, kind: string, port: string) => {
      const fixed = rejected ? '0' : port === '0' ? '9' : port;
      return `m=${kind} ${fixed} `;
    });
  }
  return lines
    .map((line) => {
      if (!line.startsWith('a=group:BUNDLE') || rejectedMids.size === 0) return line;
      const [head = 'a=group:BUNDLE', ...mids] = line.split(' ');
      return [head, ...mids.filter((mid) => !rejectedMids.has(mid))].join(' ');
    })
    .join(eol);
}
