/**
 * What a saved view says about itself: the caption drawn under the image and the same facts as PNG text, so a
 * picture opened days later (or mailed to a colleague) still tells which slice, which answer, at which threshold,
 * and which colour is which. Pure, so the words are testable without a browser.
 */
import { RESEARCH_NOTICE } from '../core/card';
import { maskArea, sameSize } from '../core/image';
import { noTumorInEither } from '../core/metrics';
import { resizeMaskNearest } from '../core/resize';
import { displayed, type Displayed } from '../state/derived';
import type { PatientSlice } from '../state/patient';
import { patientOf } from '../state/patientSummary';
import type { CurrentSlice, OverlaySettings } from '../state/store';
import { OVERLAY_COLORS } from '../core/overlay';
import { thresholdText } from '../io/exportCsv';
import { count, fixed, pct } from './format';

export const APP_NAME = 'LGG MRI tumor check';

export interface ViewCaption {
  /** Lines under the image, in order; the legend is drawn between the second and the third. */
  lines: string[];
  /** The overlays drawn, each with its colour and what it marks (empty when the overlays are hidden). */
  legend: LegendItem[];
  /** PNG text entries: standard keywords (Title, Description, Software, Disclaimer, Creation Time) and `lgg:` values. */
  metadata: Record<string, string>;
}

/** One overlay drawn: its colour, the colour's name (for words, where the colour cannot be seen) and what it marks. */
export interface LegendItem {
  color: readonly [number, number, number];
  colorName: 'green' | 'red' | 'yellow';
  label: string;
  /** Pixels drawn in this colour's region (0: listed, but nothing of it is on the image). */
  area: number;
}

const channelLabel = (c: OverlaySettings['channel']) => (c === 'rgb' ? 'RGB composite (pre-contrast, FLAIR, post-contrast)' : `${c} in gray`);

/** The answer in words, as the result panel words it (a pending decision is not stated). */
function answerLine(current: CurrentSlice, threshold: number, tumor: boolean | null): string {
  const a = current.analysis;
  const t = fixed(threshold);
  if (!a) return current.error ? `Analysis failed: ${current.error}` : current.analyzing ? 'Analysis in progress: no answer yet.' : 'Not analyzed.';
  if (current.segmenting && a.combinedFollows) return `Decision pending at threshold ${t}; the classifier alone gives ${pct(a.classifierProbability)}.`;
  const verdict = tumor ? 'Tumor likely' : 'No tumor detected';
  const parts = a.combined ? ` (classifier alone ${pct(a.classifierProbability)}, combined with the outlined area)` : '';
  return `${verdict} at threshold ${t}: tumor probability ${pct(a.probability)}${parts}.`;
}

/** Where the slice sits when it is one of several opened together: shown in the caption's first line. */
export interface PatientPlace {
  patient: string | null;
  position: number;
  count: number;
}

/** Where the slice on screen sits among the slices opened with it, or null for a slice opened alone. */
export function patientPlace(current: CurrentSlice, slices: PatientSlice[]): PatientPlace | null {
  if (current.patientIndex === undefined || slices.length === 0) return null;
  return { patient: patientOf(slices), position: current.patientIndex + 1, count: slices.length };
}

/**
 * How the viewer and the saved view name a slice among several: by its own slice number ("slice 16"; with slices left
 * out, its place in the list would name another slice), or, for images without numbers, by place ("image 3 of 5").
 * `withPatient`: "TCGA_..., slice 16", as the saved view says it (the viewer sits beside the patient's panel).
 */
export function placeText(name: CurrentSlice['name'], place: PatientPlace, withPatient = true): string {
  if (place.patient !== null && name.index !== null) return `${withPatient ? `${place.patient}, ` : ''}slice ${name.index}`;
  return `image ${place.position} of ${place.count}`;
}

/** `<slice>_view_t0.50.png`: views saved at 0.50 and at 0.05 do not overwrite each other (as the CSV and zip names). */
export const viewPngFileName = (sliceFile: string, threshold: number) => `${sliceFile.replace(/\.[^.]*$/, '')}_view_t${thresholdText(threshold)}.png`;

/** The overlays drawn on the view (`shown`: what displayed() gives for it), as the saved view's legend and the viewer's text alternative name them. */
function overlayLegend(current: CurrentSlice, shown: Displayed, overlay: OverlaySettings): LegendItem[] {
  const legend: LegendItem[] = [];
  const drawn = overlay.opacity > 0;
  const prediction = drawn && overlay.showPrediction && shown.predicted !== null;
  const truth = drawn && overlay.showTruth && current.truth !== null;
  // A slice called tumor on which the segmenters outline nothing: said, as the slice panel says it.
  const nothingOutlined = shown.decision && current.analysis?.segmentation && shown.predictedArea === 0 ? ', no region outlined' : '';
  if (prediction) legend.push({ color: OVERLAY_COLORS.predicted, colorName: 'green', label: `prediction (${count(shown.predictedArea)} px${nothingOutlined})`, area: shown.predictedArea });
  if (truth) legend.push({ color: OVERLAY_COLORS.truth, colorName: 'red', label: `ground truth (${count(shown.scores?.truthArea ?? 0)} px)`, area: shown.scores?.truthArea ?? 0 });
  // "both" only where there is overlap to see: listed with none, it would name the image's own yellow (fat in RGB).
  if (prediction && truth && (shown.scores?.intersection ?? 0) > 0)
    legend.push({ color: OVERLAY_COLORS.overlap, colorName: 'yellow', label: `both (${count(shown.scores!.intersection)} px)`, area: shown.scores!.intersection });
  return legend;
}

/**
 * The viewer's text alternative: which slice, in which channel, and what is drawn on it with which colour, which a
 * screen reader, or a reader who cannot tell green from red, gets from no picture.
 */
export function viewDescription(current: CurrentSlice, threshold: number, overlay: OverlaySettings, shown = displayed(current, threshold)): string {
  const legend = overlayLegend(current, shown, overlay);
  // An empty region is named without a colour: "in green" would say that something green is drawn.
  const drawn = legend.length ? legend.map((l) => (l.area > 0 ? `${l.label} in ${l.colorName}` : `${l.label}, nothing drawn`)).join(', ') : 'no overlay drawn';
  return `MRI slice ${current.name.file}, ${channelLabel(overlay.channel)}: ${drawn}`;
}

export function viewCaption(current: CurrentSlice, threshold: number, overlay: OverlaySettings, savedAt: Date, place: PatientPlace | null = null): ViewCaption {
  const shown = displayed(current, threshold);
  const legend = overlayLegend(current, shown, overlay);
  const drawn = overlay.opacity > 0;

  const neither = shown.scores !== null && noTumorInEither(shown.predictedArea, shown.scores.truthArea);
  const scores = shown.scores ? (neither ? 'Dice n/a (no tumor in the truth nor the prediction)' : `Dice ${fixed(shown.scores.dice, 3)}, IoU ${fixed(shown.scores.iou, 3)}`) : null;
  const overlays = drawn ? `overlays at ${pct(overlay.opacity, 0)} opacity` : 'overlays hidden';
  // A file of another size was resized to the models' grid: the counts above are on that grid, as the screen's are.
  const file = current.sourceSize ?? current.image;
  const resized = !sameSize(file, current.image);
  const otherGrid = resized ? `pixel counts on the models' ${current.image.width}×${current.image.height} grid (the file is ${file.width}×${file.height})` : null;
  const lines = [
    [place ? `${placeText(current.name, place)}: ${current.name.file}` : current.name.file, channelLabel(overlay.channel), overlays].join(' · '),
    answerLine(current, threshold, shown.decision),
    [scores, current.truth ? `truth from ${current.truth.file}` : 'no ground truth given', otherGrid].filter(Boolean).join(' · '),
    `${APP_NAME} · saved ${savedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC · ${RESEARCH_NOTICE}`,
  ];

  const a = current.analysis;
  const metadata: Record<string, string> = {
    Title: current.name.file,
    Description: lines.slice(0, 3).join('\n'),
    Software: APP_NAME,
    Disclaimer: RESEARCH_NOTICE,
    'Creation Time': savedAt.toUTCString(),
    'lgg:threshold': fixed(threshold),
    'lgg:channel': overlay.channel,
  };
  if (a && !(current.segmenting && a.combinedFollows)) {
    metadata['lgg:probability'] = String(a.probability);
    metadata['lgg:decision'] = shown.decision ? 'tumor' : 'no tumor';
  }
  if (a) metadata['lgg:classifier_probability'] = String(a.classifierProbability);
  // In the file's own size, as the results CSV and the saved mask count them.
  if (a?.segmentation && shown.predicted) metadata['lgg:predicted_pixels'] = String(resized ? maskArea(resizeMaskNearest(shown.predicted, file.width, file.height)) : shown.predictedArea);
  if (shown.scores && !neither) metadata['lgg:dice'] = String(shown.scores.dice);
  return { lines, legend, metadata };
}
