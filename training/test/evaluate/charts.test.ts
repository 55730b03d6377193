import { describe, expect, it } from 'vitest';
import { barChartSvg, confusionMatrixSvg, lineChartSvg, rocSvg } from '../../src/report';
import { rocCurve } from '../../../src/core/metrics';
import { svgProblems } from './wellFormedSvg';

/** Numbers of every <circle cx cy> and every M/L command of every <path d>, to check where things were drawn. */
const circles = (svg: string) => [...svg.matchAll(/<circle cx="([\d.-]+)" cy="([\d.-]+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);

describe('the well-formedness check itself', () => {
  it('rejects broken documents', () => {
    expect(svgProblems('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><g></svg>')).not.toEqual([]);
    expect(svgProblems('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><text>a & b</text></svg>')).not.toEqual([]);
    expect(svgProblems('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect x="NaN"/></svg>')).not.toEqual([]);
    expect(svgProblems('<svg viewBox="0 0 1 1"></svg>')).not.toEqual([]);
    expect(svgProblems('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect x=1/></svg>')).not.toEqual([]);
    expect(svgProblems('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><text>a &amp; b</text></svg>')).toEqual([]);
  });
});

describe('lineChartSvg', () => {
  const svg = lineChartSvg({
    title: 'Loss <train & "val">',
    xLabel: 'epoch',
    yLabel: 'loss',
    series: [
      { name: 'train', points: [[1, 0.9], [2, 0.5], [3, 0.3]] },
      { name: 'val', points: [{ x: 1, y: 1.0 }, { x: 2, y: NaN }, { x: 3, y: 0.45 }], dashed: true },
    ],
  });
  it('is well-formed SVG with escaped text', () => {
    expect(svgProblems(svg)).toEqual([]);
    expect(svg).toContain('Loss &lt;train &amp; &quot;val&quot;&gt;');
  });
  it('draws one dot per finite point and breaks the line at a missing value', () => {
    expect(circles(svg)).toHaveLength(5);
    expect(svg.match(/<path d="M/g)).toHaveLength(3); // train: one run; val: two runs around the NaN
  });
  it('puts larger values higher (smaller SVG y)', () => {
    const pts = circles(svg).slice(0, 3);
    expect(pts[0][0]).toBeLessThan(pts[1][0]);
    expect(pts[0][1]).toBeLessThan(pts[1][1]);
    expect(pts[1][1]).toBeLessThan(pts[2][1]);
  });
  it('copes with a single point and with no data', () => {
    expect(svgProblems(lineChartSvg({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 'a', points: [[1, 2]] }] }))).toEqual([]);
    expect(svgProblems(lineChartSvg({ title: 't', xLabel: 'x', yLabel: 'y', series: [] }))).toEqual([]);
  });
});

describe('rocSvg', () => {
  it('marks the operating points inside the unit square', () => {
    const { points, auc } = rocCurve([1, 1, 0, 0, 1, 0], [0.9, 0.6, 0.55, 0.1, 0.2, 0.01]);
    const svg = rocSvg({ points, auc, operatingPoints: [{ threshold: 0.5, fpr: 1 / 3, tpr: 2 / 3 }, { threshold: 0.05, fpr: 2 / 3, tpr: 1 }] });
    expect(svgProblems(svg)).toEqual([]);
    expect(svg).toContain(`AUC ${auc.toFixed(4)}`);
    expect(svg).toContain('t=0.5: recall 0.667, FPR 0.333');
    expect(svg).toContain('t=0.05: recall 1.000, FPR 0.667');
  });
  it('says when AUC is undefined', () => {
    const { points, auc } = rocCurve([1, 1], [0.2, 0.3]);
    const svg = rocSvg({ points, auc });
    expect(svgProblems(svg)).toEqual([]);
    expect(svg).toContain('AUC n/a: only one class present');
  });
});

describe('confusionMatrixSvg', () => {
  it('writes the four counts in the sklearn layout (rows true, columns predicted)', () => {
    const svg = confusionMatrixSvg({ title: 'threshold 0.5', tp: 40, fp: 7, tn: 120, fn: 3 });
    expect(svgProblems(svg)).toEqual([]);
    const counts = [...svg.matchAll(/font-size="24"[^>]*>(\d+)</g)].map((m) => Number(m[1]));
    expect(counts).toEqual([120, 7, 3, 40]);
    expect(svg).toContain('TP, 93.0% of row');
  });
  it('handles an all-zero matrix', () => {
    expect(svgProblems(confusionMatrixSvg({ title: 'empty', tp: 0, fp: 0, tn: 0, fn: 0 }))).toEqual([]);
  });
});

describe('barChartSvg', () => {
  it('draws one bar per finite value and skips missing ones', () => {
    const svg = barChartSvg({
      title: 'Dice per patient',
      xLabel: 'patient',
      yLabel: 'Dice',
      categories: ['TCGA_A_1', 'TCGA_B_2', 'TCGA_C_3'],
      series: [
        { name: 'segmenter', values: [0.8, null, 0.6] },
        { name: 'pipeline', values: [0.7, 0.5, NaN] },
      ],
      yDomain: [0, 1],
      referenceLines: [{ y: 0.85, label: 'target 0.85' }],
    });
    expect(svgProblems(svg)).toEqual([]);
    expect(svg.match(/<rect [^>]*><title>/g)).toHaveLength(4);
    const heights = [...svg.matchAll(/height="([\d.]+)" fill="#[0-9A-Fa-f]{6}"><title>TCGA_A_1/g)].map((m) => Number(m[1]));
    expect(heights[0] / heights[1]).toBeCloseTo(0.8 / 0.7, 1);
  });
  it('labels close reference lines right of the plot, apart from each other and from every bar', () => {
    const svg = barChartSvg({
      title: 'Dice per patient',
      xLabel: 'patient',
      yLabel: 'Dice',
      categories: ['TCGA_A_1', 'TCGA_B_2'],
      series: [{ name: 'outline', values: [0.9, 0.7] }],
      yDomain: [0, 1],
      referenceLines: [{ y: 0.809, label: 'outline mean 0.809' }, { y: 0.85, label: 'target 0.85' }],
    });
    expect(svgProblems(svg)).toEqual([]);
    const label = (name: string) => {
      const m = new RegExp(`<text x="([\\d.]+)" y="([\\d.]+)"[^>]*>${name}<`).exec(svg);
      if (!m) throw new Error(`no label ${name}`);
      return { x: Number(m[1]), y: Number(m[2]) };
    };
    const [mean, target] = [label('outline mean 0.809'), label('target 0.85')];
    const barsEnd = Math.max(...[...svg.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"[^>]*><title>/g)].map((m) => Number(m[1]) + Number(m[2])));
    expect(Math.min(mean.x, target.x)).toBeGreaterThan(barsEnd);
    expect(mean.y - target.y).toBeGreaterThanOrEqual(13);
    const width = Number(/<svg[^>]* width="([\d.]+)"/.exec(svg)![1]);
    expect(mean.x + 6.5 * 'outline mean 0.809'.length).toBeLessThanOrEqual(width);
  });
  it('refuses a series whose length does not match the categories', () => {
    expect(() => barChartSvg({ title: 't', xLabel: 'x', yLabel: 'y', categories: ['a'], series: [{ name: 's', values: [1, 2] }] })).toThrow(/2 values for 1 categories/);
  });
});

describe('marker labels', () => {
  it('do not overlap when two operating points coincide', () => {
    const svg = rocSvg({ points: [{ x: 0, y: 0 }, { x: 1, y: 1 }], auc: 0.5, operatingPoints: [{ threshold: 0.5, fpr: 1, tpr: 1 }, { threshold: 0.05, fpr: 1, tpr: 1 }] });
    const ys = [...svg.matchAll(/<text x="[\d.]+" y="([\d.]+)"[^>]*>t=/g)].map((m) => Number(m[1]));
    expect(ys).toHaveLength(2);
    expect(Math.abs(ys[0] - ys[1])).toBeGreaterThanOrEqual(14);
  });
});

describe('x ticks', () => {
  it('are whole numbers when every x is (epochs)', () => {
    const svg = lineChartSvg({ title: 't', xLabel: 'epoch', yLabel: 'loss', series: [{ name: 'train', points: [[1, 0.5], [2, 0.4], [3, 0.35]] }] });
    const xTicks = [...svg.matchAll(/<text x="[\d.]+" y="[\d.]+" text-anchor="middle" fill="#333">([^<]+)</g)].map((m) => Number(m[1]));
    expect(xTicks.length).toBeGreaterThanOrEqual(2);
    expect(xTicks.every(Number.isInteger)).toBe(true);
  });
});

describe('legend placement', () => {
  // The legend's box: the first <rect> with a grey stroke after the plot's border.
  const legendY = (svg: string) => Number(/<rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="[\d.]+" fill="#ffffff" fill-opacity="0.85"/.exec(svg)![1]);
  const chart = (points: [number, number][]) => lineChartSvg({ title: 't', xLabel: 'epoch', yLabel: 'loss', series: [{ name: 'validation', points }] });
  it('moves to the bottom when the last points run along the top right', () => {
    const rising = chart([[1, 0.1], [2, 0.2], [3, 0.9], [4, 0.95], [5, 1.0], [6, 1.0], [7, 1.0], [8, 1.0]]);
    const falling = chart([[1, 1.0], [2, 0.9], [3, 0.3], [4, 0.2], [5, 0.1], [6, 0.1], [7, 0.1], [8, 0.1]]);
    expect(legendY(rising)).toBeGreaterThan(legendY(falling));
  });
});
