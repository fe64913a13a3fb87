/** The process logger: pino JSON. Secrets (cookies, authorization, passcodes, SDP, TURN credentials and secret) are redacted. */
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', '*.passcode', 'passcode', '*.sdp', 'sdp', '*.credential', 'credential', '*.turnSecret', 'turnSecret', '*.clusterSecret', 'clusterSecret', '*.redisUrl', 'redisUrl', 'req.headers["x-parley-relay"]'],
      censor: '[redacted]',
    },
  });
}
