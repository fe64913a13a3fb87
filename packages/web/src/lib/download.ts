/** Hands bytes to the browser as a download (a blob: URL, which the CSP allows), then lets it go. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started from the URL; keep it a moment for slow browsers, then free the memory.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
