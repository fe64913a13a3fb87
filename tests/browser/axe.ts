/// <reference lib="dom" />
/**
 * axe-core in a page under test. Parley's CSP (script-src 'self') refuses inline and injected
 * <script> elements, so axe's source runs through the DevTools protocol (`page.evaluate` of its
 * text), which the CSP does not govern; the production CSP stays as it is. `axeCheck` returns the
 * serious and critical violations (impact, rule, and the elements), `assertAxeClean` fails listing them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

export interface AxeSummary {
  /** Serious and critical violations: what fails the check. */
  blocking: AxeViolation[];
  /** Every violation, whatever its impact (for the report). */
  all: AxeViolation[];
}

interface RawResult {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** Runs axe (WCAG 2.x A and AA rules and best practices) on the page as it is now. */
export async function axeCheck(page: Page): Promise<AxeSummary> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  // A script's text evaluated in the page: axe defines window.axe.
  if (!loaded) await page.evaluate(`${AXE_SOURCE}\n;undefined`);
  const raw = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations;
  })) as RawResult[];
  const all = raw.map((v) => ({
    id: v.id,
    impact: v.impact ?? 'unknown',
    help: v.help,
    nodes: v.nodes.map((n) => `${n.target.map(String).join(' ')}${n.failureSummary ? ` — ${n.failureSummary.replace(/\s+/g, ' ')}` : ''}`),
  }));
  return { all, blocking: all.filter((v) => v.impact === 'serious' || v.impact === 'critical') };
}

export function describeViolations(list: AxeViolation[]): string {
  return list.map((v) => `[${v.impact}] ${v.id}: ${v.help}\n    ${v.nodes.slice(0, 6).join('\n    ')}`).join('\n');
}

/** Fails with the list of serious and critical violations on `screen`; returns the full summary. */
export async function assertAxeClean(page: Page, screen: string): Promise<AxeSummary> {
  const summary = await axeCheck(page);
  assert.equal(summary.blocking.length, 0, `axe on ${screen}: ${summary.blocking.length} serious/critical violation(s)\n${describeViolations(summary.blocking)}`);
  return summary;
}

/** The page scrolls no wider than the window (no sideways scrolling on a phone). */
export async function assertNoHorizontalScroll(page: Page, screen: string): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.scrollingElement?.scrollWidth ?? 0, innerWidth: window.innerWidth }));
  assert.ok(scrollWidth <= innerWidth, `${screen} scrolls sideways: ${scrollWidth} px wide in a ${innerWidth} px window`);
}
