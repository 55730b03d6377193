/** ROC curve with the operating thresholds marked, on a fixed [0, 1] x [0, 1] square. */
import { lineChartSvg, type Marker } from './lineChart';
import { PALETTE } from './svg';

export interface OperatingPoint {
  threshold: number;
  /** False-positive rate (1 - specificity). */
  fpr: number;
  /** True-positive rate (tumor recall). */
  tpr: number;
}

export interface RocOptions {
  title?: string;
  /** Curve points as rocCurve() in src/core returns them: x = FPR, y = TPR. */
  points: readonly { x: number; y: number }[];
  auc: number;
  /** The curve's name in the legend (default "classifier"). */
  name?: string;
  operatingPoints?: OperatingPoint[];
  width?: number;
  height?: number;
}

export function rocSvg(o: RocOptions): string {
  const markers: Marker[] = (o.operatingPoints ?? []).map((p, i) => ({
    x: p.fpr,
    y: p.tpr,
    label: `t=${p.threshold}: recall ${p.tpr.toFixed(3)}, FPR ${p.fpr.toFixed(3)}`,
    color: PALETTE[(i + 1) % PALETTE.length],
  }));
  const auc = Number.isFinite(o.auc) ? o.auc.toFixed(4) : 'n/a: only one class present';
  return lineChartSvg({
    title: o.title ?? 'ROC curve, tumor = positive',
    xLabel: 'False-positive rate (1 - specificity)',
    yLabel: 'True-positive rate (recall)',
    series: [{ name: `${o.name ?? 'classifier'} (AUC ${auc})`, points: o.points, dots: false }],
    xDomain: [0, 1],
    yDomain: [0, 1],
    diagonal: true,
    markers,
    legendCorner: 'bottom',
    width: o.width ?? 520,
    height: o.height ?? 500,
  });
}
