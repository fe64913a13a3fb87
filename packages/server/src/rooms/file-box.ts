/**
 * Files shared in one meeting, kept in memory only while the meeting lasts: nothing reaches the
 * disk, and closing the room drops them. Type is checked by extension and by content (magic bytes),
 * size and total volume are bounded.
 */
import { ParleyError, type SharedFile } from '@parley/protocol';
import { newOpaqueId } from '../util/secrets.js';

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
const MAX_MEETING_BYTES = 100 * 1024 * 1024;

interface FileType {
  mime: string;
  matches: (data: Buffer) => boolean;
}

const startsWith = (bytes: number[]) => (data: Buffer) => bytes.every((b, i) => data[i] === b);
const ZIP = startsWith([0x50, 0x4b, 0x03, 0x04]);
const isText = (data: Buffer): boolean => !data.includes(0) && Buffer.from(data.toString('utf8'), 'utf8').equals(data);

/** The allow-list: extension → MIME type and content check. */
export const ALLOWED_TYPES: Record<string, FileType> = {
  pdf: { mime: 'application/pdf', matches: startsWith([0x25, 0x50, 0x44, 0x46, 0x2d]) },
  png: { mime: 'image/png', matches: startsWith([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  jpg: { mime: 'image/jpeg', matches: startsWith([0xff, 0xd8, 0xff]) },
  jpeg: { mime: 'image/jpeg', matches: startsWith([0xff, 0xd8, 0xff]) },
  gif: { mime: 'image/gif', matches: startsWith([0x47, 0x49, 0x46, 0x38]) },
  txt: { mime: 'text/plain', matches: isText },
  csv: { mime: 'text/csv', matches: isText },
  md: { mime: 'text/markdown', matches: isText },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', matches: ZIP },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', matches: ZIP },
  pptx: { mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', matches: ZIP },
};

/** The allowed type for an extension; only the table's own keys (never `constructor`, `__proto__`, ...). */
export function fileTypeFor(extension: string): FileType | undefined {
  return Object.hasOwn(ALLOWED_TYPES, extension) ? ALLOWED_TYPES[extension] : undefined;
}

/** A safe file name: no path, no control or bidi characters, bounded. */
export function cleanFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const base = name.normalize('NFC').split(/[\\/]/).pop()?.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069"]/g, '') ?? '';
  return base.trim().slice(-120) || 'file';
}

export interface StoredFile {
  info: SharedFile;
  data: Buffer;
}

export class FileBox {
  readonly #files = new Map<string, StoredFile>();
  #bytes = 0;

  /** Checks and stores a file; throws a coded error for a disallowed type or size. */
  add(from: { id: string; displayName: string }, rawName: string, data: Buffer): SharedFile {
    const name = cleanFileName(rawName);
    const extension = name.includes('.') ? (name.split('.').pop() ?? '').toLowerCase() : '';
    const type = fileTypeFor(extension);
    if (!type) throw new ParleyError('unsupported_file_type', `.${extension || '?'} files may not be shared (allowed: ${Object.keys(ALLOWED_TYPES).join(', ')})`);
    if (data.length === 0 || data.length > MAX_FILE_BYTES) throw new ParleyError('message_too_large', `files may be at most ${MAX_FILE_BYTES / 1024 / 1024} MiB`);
    if (!type.matches(data)) throw new ParleyError('unsupported_file_type', `the content is not a .${extension} file`);
    if (this.#bytes + data.length > MAX_MEETING_BYTES) throw new ParleyError('message_too_large', 'this meeting has no room for more files');
    const info: SharedFile = { id: newOpaqueId(), from: from.id, fromName: from.displayName, name, size: data.length, type: type.mime, at: Date.now() };
    this.#files.set(info.id, { info, data });
    this.#bytes += data.length;
    return info;
  }

  get(id: string): StoredFile | undefined {
    return this.#files.get(id);
  }

  list(): SharedFile[] {
    return [...this.#files.values()].map((f) => f.info);
  }

  clear(): void {
    this.#files.clear();
    this.#bytes = 0;
  }
}
