/** What the About page asks: the server's build and SBOM summary (components for administrators). */
import { AboutInfo } from '@parley/protocol';
import type { ApiClient } from './api.js';

export function fetchAbout(api: ApiClient): Promise<AboutInfo> {
  return api.call('GET', '/api/about', AboutInfo);
}
