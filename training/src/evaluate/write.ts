/** Writes the result JSON and the report folder (report.md + SVG plots). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { EvaluationResult } from './evaluate';
import { reportMarkdown } from './markdown';
import { evaluationPlots } from './plots';

export const REPORT_FILE = 'report.md';

export function writeResultJson(r: EvaluationResult, file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(r, null, 2) + '\n');
}

/** Returns the files written, report.md first. */
export function writeReportDir(r: EvaluationResult, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const files: Record<string, string> = { [REPORT_FILE]: reportMarkdown(r), ...evaluationPlots(r) };
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return Object.keys(files).map((n) => join(dir, n));
}
