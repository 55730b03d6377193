/** Per-slice results as CSV (RFC 4180 quoting), and its parser for round-trip checks. */
import { noTumorInEither } from '../core/metrics';

/** `threshold`: the one the decision and the predicted mask were made at, on every row (a spreadsheet keeps it with the numbers). */
export const CSV_HEADER = ['file', 'probability', 'decision', 'predicted_tumor_pixels', 'dice', 'threshold'] as const;

/** The threshold as the app shows it (the slider steps by 0.01), in the CSV and in export file names. */
export const thresholdText = (threshold: number) => threshold.toFixed(2);

/** `<patient>_results_t0.50.csv`: exports at 0.50 and at 0.05 do not overwrite each other. */
export const resultsCsvFileName = (prefix: string, threshold: number) => `${prefix}_results_t${thresholdText(threshold)}.csv`;

export interface CsvRow {
  file: string;
  probability: number | null;
  decision: boolean | null;
  predictedPixels: number | null;
  dice: number | null;
  /** Whether the slice's truth holds tumor (null without truth): with none in truth nor prediction, dice is left empty. */
  truthTumor: boolean | null;
}

/** A row whose truth and prediction both hold no tumor (core's noTumorInEither): its Dice scores no outline. */
export const rowWithNoTumorInEither = (r: Pick<CsvRow, 'truthTumor' | 'predictedPixels'>) => r.truthTumor === false && r.predictedPixels !== null && noTumorInEither(r.predictedPixels, 0);

/**
 * The dice cell: empty without truth, and empty when neither the truth nor the prediction holds tumor (the metric's
 * 1 by convention there would read as a perfect outline in a spreadsheet's mean).
 */
const diceCell = (r: CsvRow) => (r.dice === null || rowWithNoTumorInEither(r) ? '' : r.dice);

const quote = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export function resultsCsv(rows: CsvRow[], threshold: number): string {
  const lines = [CSV_HEADER.join(',')];
  for (const r of rows)
    lines.push(
      [quote(r.file), r.probability ?? '', r.decision === null ? '' : r.decision ? 'tumor' : 'no tumor', r.predictedPixels ?? '', diceCell(r), thresholdText(threshold)].join(','),
    );
  return lines.join('\n') + '\n';
}

/** Splits CSV text into rows of fields (quoted fields may hold commas, quotes and newlines). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field), rows.push(row), (row = []), (field = '');
    } else field += c;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}
