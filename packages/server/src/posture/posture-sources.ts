/** Where the posture report's audit and client sections come from: the audit chain's verifier and the clients' samples. */
import type { KeyObject } from 'node:crypto';
import { auditStatus } from '../audit/status.js';
import { postureOutdatedClients } from '../clients/registry.js';
import type { Db } from '../storage/db.js';
import type { PostureSources } from './posture-report.js';

export function postureSources(db: Db, auditPublicKey: KeyObject): PostureSources {
  return {
    auditStatus: async () => {
      const status = await auditStatus(db, auditPublicKey);
      return { available: true, records: status.records, lastCheckpoint: status.lastCheckpoint, verified: status.verified, firstProblem: status.firstProblem };
    },
    outdatedClientsSeen: postureOutdatedClients(db),
  };
}
