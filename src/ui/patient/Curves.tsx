import type { CurvePoint } from '../../core/metrics';

const W = 150;
const H = 120;
const PAD = 18;

/**
 * A small inline SVG curve in the unit square with the point at the current threshold marked. `scope`: what slices it
 * covers when not all ("(3 of 19 analyzed so far)"), under the title.
 */
export function Curve(props: { title: string; scope?: string; points: CurvePoint[]; marker: { x: number; y: number } | null; xLabel: string; yLabel: string; testId: string }) {
  const sx = (x: number) => PAD + x * (W - PAD - 4);
  const sy = (y: number) => H - PAD - y * (H - PAD - 4);
  const d = props.points.map((p, i) => `${i ? 'L' : 'M'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ');
  return (
    <figure className="curve" data-testid={props.testId}>
      <figcaption>
        {props.title}
        {props.scope && (
          <>
            <br />
            <span className="muted">{props.scope}</span>
          </>
        )}
      </figcaption>
      <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={props.scope ? `${props.title} ${props.scope}` : props.title}>
        <rect x={sx(0)} y={sy(1)} width={sx(1) - sx(0)} height={sy(0) - sy(1)} className="curve-frame" />
        <path d={d} className="curve-line" />
        {props.marker && <circle cx={sx(props.marker.x)} cy={sy(props.marker.y)} r={4} className="curve-marker" data-testid={`${props.testId}-marker`} />}
        <text x={W / 2} y={H - 3} className="curve-axis" textAnchor="middle">{props.xLabel}</text>
        <text x={8} y={H / 2} className="curve-axis" textAnchor="middle" transform={`rotate(-90 8 ${H / 2})`}>{props.yLabel}</text>
      </svg>
    </figure>
  );
}

/**
 * Per-slice probabilities along the volume with the threshold line; slices called tumor (`decisions`) in the tumor colour,
 * the others in a neutral one (green is the predicted tumor in the image). With masks, a mark under each slice whose mask
 * holds tumor: where the predictions sit against the tumor's true extent. `positions` (of `span` places) puts each slice at
 * its place in the volume, so slices not given or not read leave a gap; by default the slices stand side by side.
 * The threshold line lets clicks through to the bars it crosses.
 */
export function ProbabilityPlot(props: { probabilities: (number | null)[]; decisions: (boolean | null)[]; truthTumor?: (boolean | null)[]; threshold: number; selected: number; onSelect: (i: number) => void; positions?: number[]; span?: number }) {
  const n = props.span ?? props.probabilities.length;
  const at = (i: number) => props.positions?.[i] ?? i;
  const w = Math.max(300, n * 6);
  const h = 90;
  const step = (w - 8) / Math.max(1, n);
  const y = (p: number) => h - 10 - p * (h - 16);
  return (
    <svg className="prob-plot" width="100%" height={h} viewBox={`0 0 ${w} ${h}`} preserveAspectRatio="none" role="img" aria-label="Tumor probability per slice" data-testid="prob-plot">
      {props.probabilities.map((p, i) =>
        p === null ? null : (
          <rect key={i} x={4 + at(i) * step} y={y(p)} width={Math.max(1, step - 1)} height={h - 10 - y(p)} className={props.decisions[i] ? 'bar above' : 'bar'} onClick={() => props.onSelect(i)} opacity={i === props.selected ? 1 : 0.75} />
        ),
      )}
      {props.truthTumor?.map((t, i) => (t ? <rect key={`t${i}`} x={4 + at(i) * step} y={h - 6} width={Math.max(1, step - 1)} height={5} className="truth-mark" /> : null))}
      <line x1={0} x2={w} y1={y(props.threshold)} y2={y(props.threshold)} className="threshold-line" />
    </svg>
  );
}
