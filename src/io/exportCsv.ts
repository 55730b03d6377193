/** Per-slice results as CSV (RFC 4180 quoting), and its parser for round-trip checks. */
import { noTumorInEither } from '../core/metrics';

/**
 * `probability`: the one the decision reads (the combined probability when combined.json ships), `classifier_probability`
 * the classifier's alone (where they fall on either side of the threshold, the models disagree); both rounded to 6
 * decimals. `predicted_tumor_pixels`: the mask as saved beside the CSV, in the size of the file given. `truth_tumor`:
 * yes / no from the slice's mask, empty without one. `threshold`: the one the decision and the mask were made at, on
 * every row (a spreadsheet keeps it with the numbers). `dice` to 6 decimals too. `input_note`: why the slice's input lies
 * outside what the models were validated on ("16-bit samples stretched to 8 bits"), empty when it does not.
 */
export const CSV_HEADER = ['file', 'probability', 'classifier_probability', 'decision', 'predicted_tumor_pixels', 'truth_tumor', 'dice', 'threshold', 'input_note'] as const;
export type CsvColumn = (typeof CSV_HEADER)[number];

/** The threshold as the app shows it (the slider steps by 0.01), in the CSV and in export file names. */
export const thresholdText = (threshold: number) => threshold.toFixed(2);

const PARTIAL = '_partial';

/** `<patient>_results_t0.50.csv`: exports at 0.50 and at 0.05 do not overwrite each other (partialFileName: a stopped run's). */
export const resultsCsvFileName = (prefix: string, threshold: number) => `${prefix}_results_t${thresholdText(threshold)}.csv`;

/**
 * An export of a run that stopped with slices not analyzed, named apart (`…_t0.50_partial.csv`): it neither passes for
 * nor overwrites the complete one. Inserts `_partial` before the extension of any export's name.
 */
export const partialFileName = (name: string) => name.replace(/(\.[^.]+)?$/, (ext) => `${PARTIAL}${ext}`);

export interface CsvRow {
  file: string;
  probability: number | null;
  classifierProbability: number | null;
  decision: boolean | null;
  predictedPixels: number | null;
  dice: number | null;
  /** Whether the slice's truth holds tumor (null without truth): with none in truth nor prediction, dice is left empty. */
  truthTumor: boolean | null;
  /** Why the input lies outside what the models were validated on (patientSummary's inputNote); null when it does not. */
  inputNote: string | null;
}

/** A row whose truth and prediction both hold no tumor (core's noTumorInEither): its Dice scores no outline. */
export const rowWithNoTumorInEither = (r: Pick<CsvRow, 'truthTumor' | 'predictedPixels'>) => r.truthTumor === false && r.predictedPixels !== null && noTumorInEither(r.predictedPixels, 0);

const quote = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** Six decimals: finer than any threshold step, short enough to read (0.043286, not 0.04328618739544827). */
const probabilityCell = (p: number | null) => (p === null ? '' : String(Number(p.toFixed(6))));

/**
 * The dice cell: empty without truth, and empty when neither the truth nor the prediction holds tumor (the metric's
 * 1 by convention there would read as a perfect outline in a spreadsheet's mean).
 */
const diceCell = (r: CsvRow) => (r.dice === null || rowWithNoTumorInEither(r) ? '' : probabilityCell(r.dice));

export function resultsCsv(rows: CsvRow[], threshold: number): string {
  const lines = [CSV_HEADER.join(',')];
  for (const r of rows) {
    const cells: Record<CsvColumn, string | number> = {
      file: quote(r.file),
      probability: probabilityCell(r.probability),
      classifier_probability: probabilityCell(r.classifierProbability),
      decision: r.decision === null ? '' : r.decision ? 'tumor' : 'no tumor',
      predicted_tumor_pixels: r.predictedPixels ?? '',
      truth_tumor: r.truthTumor === null ? '' : r.truthTumor ? 'yes' : 'no',
      dice: diceCell(r),
      threshold: thresholdText(threshold),
      input_note: quote(r.inputNote ?? ''),
    };
    lines.push(CSV_HEADER.map((c) => cells[c]).join(','));
  }
  return lines.join('\n') + '\n';
}

/** The results CSV read back as one record per slice, keyed by column (for checks and round trips). */
export function parseResultsCsv(text: string): Record<CsvColumn, string>[] {
  const [header, ...rows] = parseCsv(text);
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])) as Record<CsvColumn, string>);
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
