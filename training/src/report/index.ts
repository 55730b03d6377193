/** SVG charts for training and evaluation reports: plain strings, no DOM, no dependencies. */
export { lineChartSvg, type LineChartOptions, type LineSeries, type Marker } from './lineChart';
export { rocSvg, type RocOptions, type OperatingPoint } from './rocChart';
export { confusionMatrixSvg, type ConfusionMatrixOptions } from './confusionMatrix';
export { barChartSvg, type BarChartOptions, type BarSeries } from './barChart';
export type { XY } from './svg';
