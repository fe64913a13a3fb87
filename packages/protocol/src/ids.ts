/**
 * Identifier formats. Meeting IDs and passcodes use Crockford's base32 alphabet in lower case
 * (no i, l, o, u), so they read aloud and type without ambiguity.
 */
import { z } from 'zod';

export const READABLE_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** 16 symbols x 5 bits = 80 bits, grouped by four: `k7qm-x2hd-9tfa-wr3p`. */
export const MEETING_ID_GROUPS = 4;
export const MEETING_ID_PATTERN = /^[0-9a-hjkmnp-tv-z]{4}(?:-[0-9a-hjkmnp-tv-z]{4}){3}$/;
export const MeetingId = z.string().regex(MEETING_ID_PATTERN, 'not a meeting ID');

/** Generated passcodes: 8 symbols x 5 bits = 40 bits. Host-chosen ones may be longer. */
export const GENERATED_PASSCODE_LENGTH = 8;
export const Passcode = z.string().min(1).max(128);

/** Opaque server-minted IDs (participants, tracks, negotiations). */
export const OpaqueId = z.string().regex(/^[A-Za-z0-9_-]{6,64}$/, 'not an ID');

// Bidirectional controls (marks, embeddings, overrides, isolates): they can reorder a name on screen. Stripped.
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
// What shows nothing: default-ignorable code points (zero-width, Hangul fillers U+3164 and kin), spaces,
// controls, format characters, and the blank Braille pattern.
const SHOWS_NOTHING = /[\p{Default_Ignorable_Code_Point}\p{White_Space}\p{Cc}\p{Cf}\p{Zs}\u2800]/gu;

/**
 * A display name: NFKC-normalised (compatibility look-alikes folded), bidi controls stripped,
 * trimmed, 1..64 characters, no control characters, and at least one visible character.
 */
export const DisplayName = z
  .string()
  .transform((s) => s.normalize('NFKC').replace(BIDI_CONTROLS, '').trim())
  .pipe(
    z
      .string()
      .min(1, 'name is empty')
      .max(64, 'name is longer than 64 characters')
      // Control characters and line separators.
      // eslint-disable-next-line no-control-regex
      .regex(/^[^\u0000-\u001f\u007f-\u009f\u2028\u2029]+$/, 'name has control characters')
      .refine((s) => s.replace(SHOWS_NOTHING, '').length > 0, 'name has no visible character'),
  );

/** Normalises what a person typed as a meeting ID: spaces and case do not matter. */
export function normaliseMeetingId(input: string): string {
  const compact = input.toLowerCase().replace(/[^0-9a-z]/g, '');
  return compact.match(/.{1,4}/g)?.join('-') ?? '';
}
