/**
 * The client build test sockets announce in `hello`: the build the test server serves from the
 * default web root (packages/web/dist/build.json), or the server's own when the client is not built.
 * A socket that announces another build is told a new version exists; one below it is refused.
 */
import { fileURLToPath } from 'node:url';
import { readServedBuild } from '../clients/builds.js';
import { SERVER_BUILD } from '../build-info.js';

export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../../web/dist', import.meta.url));

export const TEST_CLIENT_BUILD = readServedBuild(DEFAULT_WEB_ROOT) ?? SERVER_BUILD;
