/** One progress line on stderr: rewritten in place on a terminal, a line every ~10% in a log. */
export function progressLine(total: number, label = 'evaluate') {
  const start = performance.now();
  const tty = Boolean(process.stderr.isTTY);
  let done = 0;
  let lastDecile = -1;
  const clock = (s: number) => (s >= 60 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${s.toFixed(0)}s`);
  return {
    advance(n: number, note = '') {
      done += n;
      const elapsed = (performance.now() - start) / 1000;
      const rate = done / Math.max(elapsed, 1e-9);
      const eta = rate > 0 ? (total - done) / rate : 0;
      const pct = total ? (100 * done) / total : 100;
      const width = 24;
      const filled = Math.round((width * done) / Math.max(total, 1));
      const line = `[${label}] [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} slices ${pct.toFixed(0)}% | ${rate.toFixed(2)} slices/s | elapsed ${clock(elapsed)} | ETA ${clock(eta)}${note ? ' | ' + note : ''}`;
      if (tty) process.stderr.write(`\r${line}\x1b[K${done >= total ? '\n' : ''}`);
      else {
        const decile = Math.floor(pct / 10);
        if (decile !== lastDecile || done >= total) process.stderr.write(line + '\n');
        lastDecile = decile;
      }
    },
  };
}
