/**
 * The security office's posture report for a period: the policy and its locks; meetings created by
 * class with their passcode, waiting-room and E2EE coverage; alerts, removals, suspends and locks;
 * failed and throttled sign-ins and passcodes; outdated clients; the server build and its SBOM;
 * the audit log's last checkpoint and whether its chain verifies. Counts come from the meetings
 * table and the audit log (read-only); two parts come from elsewhere through PostureSources.
 */
import {
  MeetingSettingsPatch,
  type AuditStatus,
  type ClassCoverage,
  type OrgPolicy,
  type OutdatedClients,
  type PostureReport,
  type SbomSummary,
  type Sensitivity,
} from '@parley/protocol';
import { resolveSettings } from '../meetings/settings.js';
import type { Db } from '../storage/db.js';

/** What other parts of the server tell the report; each may answer that it is not available. */
export interface PostureSources {
  /** The audit log's integrity: records, last signed checkpoint, whether the hash chain verifies. */
  auditStatus(): Promise<AuditStatus>;
  /** Clients seen in the period that were below the policy's minimum build or browser versions. */
  outdatedClientsSeen(from: number, to: number): Promise<OutdatedClients>;
}

export const DEFAULT_PERIOD_MS = 30 * 24 * 60 * 60_000;

/** Untrusted activity and automatic protections, as the audit log records them. */
const ALERT_ACTIONS = ['chat.link-blocked', 'chat.held', 'chat.dangerous-link', 'forbidden', 'meeting.auto-locked', 'meeting.guessing-lockout'] as const;
const COUNTED_ACTIONS = [
  ...ALERT_ACTIONS,
  'participant.removed',
  'lobby.removed',
  'meeting.suspended',
  'meeting.locked',
  'meeting.unlocked',
  'participant.reported',
  'signin.failed',
  'signin.throttled',
  'join.denied',
  'passcode.throttled',
  'audit.suppressed',
] as const;

/** Dotted names of the settings a patch sets (`lobby`, `features.chat`). */
function settingNames(patch: MeetingSettingsPatch): string[] {
  const names: string[] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (key === 'features' && typeof value === 'object' && value !== null) {
      for (const [feature, on] of Object.entries(value)) if (on !== undefined) names.push(`features.${feature}`);
    } else names.push(key);
  }
  return names.sort();
}

function details(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * How many attempts an aggregated (UntrustedAudit.repeat) event stands for: the first of a window
 * is one; the event written when the window closes carries the window's total, the first included.
 */
function attempts(d: Record<string, unknown>): number {
  const count = typeof d.count === 'number' && Number.isFinite(d.count) ? Math.max(1, Math.floor(d.count)) : 1;
  return d.aggregated === 'window closed' ? count - 1 : 1;
}

export class PostureReporter {
  readonly #db: Db;
  readonly #policy: () => OrgPolicy;
  readonly #sources: PostureSources;
  readonly #build: () => Promise<{ server: string; sbom: SbomSummary }>;

  constructor(deps: { db: Db; policy: () => OrgPolicy; sources: PostureSources; build: () => Promise<{ server: string; sbom: SbomSummary }> }) {
    this.#db = deps.db;
    this.#policy = deps.policy;
    this.#sources = deps.sources;
    this.#build = deps.build;
  }

  async report(period: { from?: number | undefined; to?: number | undefined }, now = Date.now()): Promise<PostureReport> {
    const to = period.to ?? now;
    const from = period.from ?? to - DEFAULT_PERIOD_MS;
    const policy = this.#policy();
    const [meetings, { counts: counted, suppressed }, openReports, outdatedClients, build, audit] = await Promise.all([
      this.#meetings(from, to, policy),
      this.#auditCounts(from, to),
      this.#db.selectFrom('reports').select((eb) => eb.fn.countAll<number>().as('n')).where('closed_at', 'is', null).executeTakeFirstOrThrow(),
      this.#sources.outdatedClientsSeen(from, to),
      this.#build(),
      this.#sources.auditStatus(),
    ]);
    const n = (action: string): number => counted.get(action) ?? 0;
    const byAction = Object.fromEntries(ALERT_ACTIONS.map((a) => [a, n(a)]));
    return {
      generatedAt: now,
      period: { from, to },
      policy: { current: policy, lockedSettings: settingNames(policy.locked) },
      meetings,
      moderation: {
        alerts: { total: ALERT_ACTIONS.reduce((sum, a) => sum + n(a), 0), byAction },
        removals: n('participant.removed') + n('lobby.removed'),
        suspends: n('meeting.suspended'),
        locks: { locked: n('meeting.locked'), unlocked: n('meeting.unlocked'), autoLocked: n('meeting.auto-locked') },
        reports: { filed: n('participant.reported'), open: Number(openReports.n) },
      },
      access: {
        failedSignIns: n('signin.failed'),
        throttledSignIns: n('signin.throttled'),
        failedPasscodes: n('join.denied'),
        throttledPasscodes: n('passcode.throttled'),
        guessingLockouts: n('meeting.guessing-lockout'),
        suppressed,
        note:
          'Counted from the audit log. Throttled attempts are written one event per action, address and meeting per 10-minute window; a window still open is counted when it closes. Events over the unauthenticated audit budget are counted in `suppressed` only.',
      },
      outdatedClients,
      build,
      audit,
    };
  }

  async #meetings(from: number, to: number, policy: OrgPolicy): Promise<PostureReport['meetings']> {
    const rows = await this.#db
      .selectFrom('meetings')
      .select(['passcode_hash', 'settings', 'sensitivity'])
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .execute();
    const empty = (): ClassCoverage => ({ meetings: 0, withPasscode: 0, withWaitingRoom: 0, withE2ee: 0 });
    const byClass: Record<Sensitivity, ClassCoverage> = { standard: empty(), sensitive: empty() };
    for (const row of rows) {
      const parsed = MeetingSettingsPatch.safeParse(details(row.settings));
      const effective = resolveSettings({ policy, meeting: parsed.success ? parsed.data : {}, live: { locked: false }, sensitivity: row.sensitivity });
      const c = byClass[row.sensitivity];
      c.meetings += 1;
      if (row.passcode_hash !== null) c.withPasscode += 1;
      if (effective.lobby) c.withWaitingRoom += 1;
      if (effective.e2ee) c.withE2ee += 1;
    }
    return { total: rows.length, byClass };
  }

  /** Attempts per counted action in the period (aggregated events expanded), and what the budget suppressed. */
  async #auditCounts(from: number, to: number): Promise<{ counts: Map<string, number>; suppressed: Record<string, number> }> {
    const rows = await this.#db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('at', '>=', from)
      .where('at', '<', to)
      .where('action', 'in', [...COUNTED_ACTIONS])
      .execute();
    const counts = new Map<string, number>();
    const suppressed = new Map<string, number>();
    for (const row of rows) {
      const d = details(row.details);
      if (row.action === 'audit.suppressed') {
        const bag = d.counts;
        if (bag && typeof bag === 'object') {
          for (const [action, value] of Object.entries(bag)) if (typeof value === 'number') suppressed.set(action, (suppressed.get(action) ?? 0) + value);
        }
        continue;
      }
      counts.set(row.action, (counts.get(row.action) ?? 0) + attempts(d));
    }
    return { counts, suppressed: Object.fromEntries(suppressed) };
  }
}
