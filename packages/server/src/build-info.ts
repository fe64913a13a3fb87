/** This server's build identifier, reported in `welcome` and /api/health. */
export const SERVER_BUILD = '0.1.0';
