/** PARLEY_DATABASE_URL: which URLs are accepted, and how one is shown without its password. */

/** A postgres:// or postgresql:// URL (the only engine besides the embedded SQLite). */
export function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'postgres:' || url.protocol === 'postgresql:';
  } catch {
    return false;
  }
}

/** The URL for logs and error messages: the password (and any query, which may carry one) left out. */
export function redactDatabaseUrl(value: string): string {
  try {
    const url = new URL(value);
    const user = url.username ? `${url.username}@` : '';
    return `${url.protocol}//${user}${url.host}${url.pathname}`;
  } catch {
    return '(not a URL)';
  }
}
