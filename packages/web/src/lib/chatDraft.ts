/**
 * What stays in the chat box once a message is sent. Typing goes on while a message is on its way
 * (one send took 5.7 s under load): only the text that was sent leaves the box, whatever was typed
 * after it stays, and a draft edited in the meantime is kept whole.
 */
export function draftAfterSend(sent: string, current: string): string {
  if (current === sent) return '';
  if (current.startsWith(sent)) return current.slice(sent.length).replace(/^\s+/, '');
  return current;
}
