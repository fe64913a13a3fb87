/**
 * How guessable a host-chosen passcode is, by a maintained estimator (zxcvbn-ts with its common
 * passwords, keyboard patterns and sequences), not only by length and character classes: `password1`,
 * `qwertyuiop` and `12345678901234` pass a length rule and fall to the first guesses of any list.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

/**
 * At least a million guesses by the estimate. Online, a meeting takes 20 wrong passcodes and then one
 * per 10 minutes, so a million guesses outlast any meeting; offline the hash is scrypt.
 */
export const MIN_PASSCODE_GUESSES_LOG10 = 6;

let estimator: ZxcvbnFactory | undefined;

/** log10 of the estimated guesses needed. The dictionaries load on first use. */
export function passcodeGuessesLog10(passcode: string): number {
  estimator ??= new ZxcvbnFactory({ dictionary: { ...dictionary }, graphs: adjacencyGraphs });
  return estimator.check(passcode.slice(0, 128)).guessesLog10;
}

export function passcodeStrongEnough(passcode: string): boolean {
  return passcodeGuessesLog10(passcode) >= MIN_PASSCODE_GUESSES_LOG10;
}
