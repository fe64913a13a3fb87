/** A meeting's join link: the passcode rides in the fragment, which browsers never send; public meetings say so instead. */
export function joinLink(base: string, meetingId: string, passcode: string | null, sensitive: boolean): string {
  // `sensitive` lets the pre-join screen say so before joining (a hint: the server decides at `join`).
  const fragment = (passcode === null ? '#public' : `#pwd=${encodeURIComponent(passcode)}`) + (sensitive ? '&sensitive' : '');
  return `${base}/m/${meetingId}${fragment}`;
}
