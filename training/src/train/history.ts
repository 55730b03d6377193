/** Per-epoch history, the Keras-like epoch line, and the training curves as SVG. */
import { lineChartSvg } from '../report';

export interface EpochRecord {
  epoch: number; // 1-based, as printed
  lr: number;
  loss: number;
  metric: number;
  valLoss: number;
  valMetric: number;
  seconds: number;
  imagesPerSecond: number;
}

export function epochLine(r: EpochRecord, epochs: number, metricName: string, best: boolean): string {
  return (
    `Epoch ${r.epoch}/${epochs} - ${Math.round(r.seconds)}s - loss: ${r.loss.toFixed(4)} - ${metricName}: ${r.metric.toFixed(4)}` +
    ` - val_loss: ${r.valLoss.toFixed(4)} - val_${metricName}: ${r.valMetric.toFixed(4)} - lr: ${r.lr.toExponential(2)}` +
    ` - ${r.imagesPerSecond.toFixed(2)} img/s${best ? ' - best so far, saved' : ''}`
  );
}

export function curvesSvg(history: EpochRecord[], metricName: string, model: string): { loss: string; metric: string } {
  const series = (pick: (r: EpochRecord) => number, name: string, dashed = false) => ({
    name,
    dashed,
    points: history.map((r) => [r.epoch, pick(r)] as const),
  });
  return {
    loss: lineChartSvg({
      title: `${model}: loss per epoch`,
      xLabel: 'epoch',
      yLabel: 'loss',
      series: [series((r) => r.loss, 'train'), series((r) => r.valLoss, 'validation', true)],
    }),
    metric: lineChartSvg({
      title: `${model}: ${metricName} per epoch`,
      xLabel: 'epoch',
      yLabel: metricName,
      series: [series((r) => r.metric, 'train'), series((r) => r.valMetric, 'validation', true)],
    }),
  };
}
