/**
 * The organization's policy (control C10, the security office's rules): defaults and locks for
 * every meeting setting, what each sensitivity class adds, who may moderate, which clients and
 * browsers are current enough, how people sign in, and whom users call for help. One type, stored
 * by the server, loaded once per change, read by `resolveSettings` and every check that needs it.
 */
import { z } from 'zod';
import { MeetingSettingsPatch } from './model.js';

/** A browser family's lowest accepted major version; absent: any version with WebRTC. */
export const BrowserMinimums = z
  .object({
    chromium: z.number().int().min(1).max(10_000).optional(),
    firefox: z.number().int().min(1).max(10_000).optional(),
    safari: z.number().int().min(1).max(10_000).optional(),
  })
  .strict();
export type BrowserMinimums = z.infer<typeof BrowserMinimums>;

export const OrgPolicy = z
  .object({
    /** Defaults for new meetings; hosts may change them. */
    defaults: MeetingSettingsPatch,
    /** Values hosts may not change (refused with `forbidden`, audited). */
    locked: MeetingSettingsPatch,
    /** More that a class forces beyond its built-in minimum (which always wins: weakening entries are ignored). */
    classes: z.object({ standard: MeetingSettingsPatch.optional(), sensitive: MeetingSettingsPatch.optional() }).strict().optional(),
    /** Guests (people not signed in) may be made moderators [no: moderators are signed-in members]. */
    guestsMayModerate: z.boolean(),
    /** Who users should contact for help (shown on the outdated-browser screen and errors); plain text. */
    supportContact: z.string().max(200),
    /** The lowest web client build accepted (semver); null: the server's own build. */
    minimumClientBuild: z
      .string()
      .regex(/^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/)
      .max(64)
      .nullable(),
    /** The lowest browser versions accepted, from the User-Agent. */
    minimumBrowsers: BrowserMinimums,
    /** Local passwords may be used to sign in [yes]; off leaves single sign-on only. */
    localPasswords: z.boolean(),
    /** A first single sign-on creates a member account [yes]; off: only accounts an administrator created may sign in. */
    ssoCreatesAccounts: z.boolean(),
  })
  .strict();
export type OrgPolicy = z.infer<typeof OrgPolicy>;

/** The policy of a new installation: Parley's safe defaults, nothing locked beyond them. */
export const DEFAULT_POLICY: OrgPolicy = {
  defaults: {},
  locked: {},
  guestsMayModerate: false,
  supportContact: '',
  minimumClientBuild: null,
  minimumBrowsers: {},
  localPasswords: true,
  ssoCreatesAccounts: true,
};
