/** Writes the result JSON and the report folder (report.md + SVG plots). */
import { UsageError } from '../cli/run-cli';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { EvaluationResult } from './evaluate';
import { reportMarkdown } from './markdown';
import { OVERLAYS_FILE, overlaysGenerated } from './overlays';
import { evaluationPlots } from './plots';

export const REPORT_FILE = 'report.md';

export function writeResultJson(r: EvaluationResult, file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(r, null, 2) + '\n');
}

/** Returns the files written, report.md first. */
export function writeReportDir(r: EvaluationResult, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  // Linked only when this run's pictures are there: another run's overlays.md would show other numbers' slices.
  const drawnHere = r.overlays && resolve(r.overlays.file) === resolve(dir, OVERLAYS_FILE) && overlaysGenerated(dir) === r.generated;
  const files: Record<string, string> = { [REPORT_FILE]: reportMarkdown(r, drawnHere ? { file: OVERLAYS_FILE, sections: r.overlays!.sections } : null), ...evaluationPlots(r) };
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return Object.keys(files).map((n) => join(dir, n));
}

/**
 * The report folder again from a result JSON written by `--out` (no models, no data): for a report whose layout
 * changed after the shipped models were scored, so the numbers stay those of the recorded run.
 */
export function writeReportFromJson(file: string, dir: string): string[] {
  let r: Partial<EvaluationResult>;
  try {
    r = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    // A wrong --from, not a bug: one line.
    throw new UsageError(`--from ${file}: not a readable evaluation JSON (${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message})`);
  }
  const missing = (['per_slice', 'classifier', 'segmenter', 'pipeline', 'per_patient', 'models', 'timing', 'card_check'] as const).filter((k) => r[k] === undefined);
  if (missing.length) throw new Error(`${file}: not an evaluation result written by npm run evaluate --out (missing ${missing.join(', ')})`);
  return writeReportDir(r as EvaluationResult, dir);
}
