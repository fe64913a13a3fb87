/**
 * Coded MLS errors. Every refusal in this module carries one of these string codes, so the server
 * can log and relay it and the client can decide what to do (retry, rejoin, show an error) without
 * parsing messages. The codes are part of the module's API; add, never rename.
 */
export const MLS_ERROR_CODES = {
  mls_bad_message: 'The bytes are not a well-formed MLS message of the expected kind.',
  mls_bad_identity: 'A credential does not hold a valid Parley identity.',
  mls_bad_key_package: 'The key package is malformed, not self-signed, for another cipher suite, expired, reused, or for another identity.',
  mls_bad_external_sender: 'The group’s external sender is not the Parley server’s.',
  mls_wrong_group: 'The message is for another MLS group.',
  mls_stale_commit: 'The commit is for an epoch that is not the current one, or another commit for this epoch was accepted first.',
  mls_stale_message: 'The message is for an epoch that is not the current one.',
  mls_unexpected_commit: 'No membership change is in flight, so no commit is expected.',
  mls_not_member: 'The sender is not a current member of the group.',
  mls_not_creator: 'The sender was not asked to create the group.',
  mls_bad_welcome: 'The Welcome is missing, malformed, or not for exactly the members being added.',
  mls_bad_ratchet_tree: 'The ratchet tree is missing, malformed, or disagrees with the membership.',
  mls_forbidden_proposal: 'Only Add and Remove proposals from the Parley server are accepted.',
  mls_unexpected_proposal: 'The proposal is not the one the server announced (other kind, other person).',
  mls_bad_commit: 'The commit is malformed, fails verification, or leaves the group in an invalid state.',
  mls_commit_pending: 'This member has a commit waiting for the server’s answer.',
  mls_no_pending_commit: 'There is no commit of ours waiting for the server’s answer.',
  mls_nothing_to_commit: 'There are no proposals to commit.',
  mls_pending_proposals: 'Proposals are waiting for a commit; application messages can be sent after it.',
  mls_no_group: 'This member is not in a group (yet, or any more).',
  mls_already_in_group: 'This member is already in a group; a member object is used for one membership.',
  mls_removed: 'This member has been removed from the group.',
  mls_decrypt_failed: 'The message could not be decrypted or authenticated.',
  mls_too_large: 'The message exceeds the size limit.',
  mls_timeout: 'The server stopped waiting for this client; start again with a fresh key package.',
} as const satisfies Record<string, string>;

export type MlsErrorCode = keyof typeof MLS_ERROR_CODES;

/** An MLS refusal as a value: a stable code and a human-readable reason (never secret material). */
export class MlsError extends Error {
  readonly code: MlsErrorCode;

  constructor(code: MlsErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? MLS_ERROR_CODES[code], options);
    this.name = 'MlsError';
    this.code = code;
  }
}

/**
 * Runs `f` and turns anything it throws that is not already an MlsError into one with `code`.
 * ts-mls throws its own error classes; callers of this module only ever see coded errors.
 */
export async function coded<T>(code: MlsErrorCode, f: () => Promise<T> | T): Promise<T> {
  try {
    return await f();
  } catch (err) {
    if (err instanceof MlsError) throw err;
    throw new MlsError(code, `${MLS_ERROR_CODES[code]} (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
}
