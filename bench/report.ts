/** The Markdown table of a bench result: app vs stock tfjs per backend, with the ratio. */
import type { Measurement } from './measure';

export interface BackendResult {
  backend: string;
  app?: Measurement;
  /** The app with its second segmenter withheld: the same work as stock tfjs (one classifier, one ResUNet). */
  appFirstSegmenter?: Measurement;
  stock?: Measurement;
  error?: string;
}

const ms = (x: number | null | undefined) => (x == null ? '-' : x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${x.toFixed(0)} ms`);
const lat = (m: Measurement | undefined, k: 'classifier' | 'segmenter') => (m ? `${ms(m[k].median)} / ${ms(m[k].p90)} (n=${m[k].runs})` : '-');

export function markdownTable(results: BackendResult[]): string {
  const rows = [
    '| backend | impl | load (both) | first: classifier / segmenter | warm median / p90: classifier | warm median / p90: segmenter | both warm (median) | speed-up vs stock | tensors / MB held | drop-to-result |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    if (r.error && !r.app && !r.stock) {
      rows.push(`| ${r.backend} | error | ${r.error.replace(/\|/g, '/').slice(0, 120)} |||||||| `);
      continue;
    }
    for (const [impl, m] of [['app', r.app], ['app, first segmenter only', r.appFirstSegmenter], ['stock tfjs', r.stock]] as const) {
      if (!m) continue;
      const ratio = impl !== 'stock tfjs' && m.bothMedian && r.stock?.bothMedian ? `${(r.stock.bothMedian / m.bothMedian).toFixed(2)}x${(m.segmenters ?? 1) > 1 ? ' (more work)' : ''}` : '';
      const name = `${r.backend}${m.adapter && r.backend === 'webgpu' ? ` (${m.adapter})` : ''}${m.backend !== r.backend ? ` -> ran on ${m.backend}` : ''}`;
      const label = (m.segmenters ?? 1) > 1 ? `${impl} (${m.segmenters} ResUNets)` : impl;
      rows.push(`| ${name} | ${label} | ${ms(m.loadMs)} | ${ms(m.classifier.first)} / ${ms(m.segmenter.first)} | ${lat(m, 'classifier')} | ${lat(m, 'segmenter')} | ${ms(m.bothMedian)}${m.stoppedEarly ? ' (time limit)' : ''} | ${ratio} | ${m.numTensors} / ${(m.numBytes / 2 ** 20).toFixed(1)} | ${ms(m.dropToResultMs)} |`);
    }
    if (r.error) rows.push(`| ${r.backend} | error | ${r.error.replace(/\|/g, '/').slice(0, 120)} |||||||| `);
  }
  return rows.join('\n');
}

export { resultFile } from './result-file';
