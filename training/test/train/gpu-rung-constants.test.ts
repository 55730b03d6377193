/**
 * The GPU rung (training/gpu/train_torch.py) repeats the trainer's constants in Python, since the GPU machine has
 * no Node to import them from. This reads the Python source and checks each repeated value against the TypeScript
 * one, so that a change on one side fails here instead of training the two rungs differently.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GAIN_RANGE, GAMMA_RANGE, JITTER_PROBABILITY } from '../../src/data/intensity';
import { BCE_EPSILON, FOCAL_FLOOR, FOCAL_GAMMA, TVERSKY_ALPHA, TVERSKY_SMOOTH } from '../../src/train/losses';
import { ADAM, CONSTANT_EPOCHS } from '../../src/train/schedule';

const SOURCE = readFileSync(join(__dirname, '../../gpu/train_torch.py'), 'utf8');

/** The right-hand side of a top-level `NAME = ...` or `A, B, C = x, y, z` assignment, by name. */
function pythonConstant(name: string): string {
  for (const line of SOURCE.split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*(?:\s*,\s*[A-Z_][A-Z0-9_]*)*)\s*=\s*(.+?)\s*(?:#.*)?$/.exec(line);
    if (!m) continue;
    const names = m[1].split(',').map((s) => s.trim());
    const i = names.indexOf(name);
    if (i < 0) continue;
    if (names.length === 1) return m[2];
    return splitTopLevel(m[2])[i];
  }
  throw new Error(`train_torch.py has no top-level assignment to ${name}`);
}

/** Splits "0.5, (0.5, 1.5), x" at the commas outside brackets. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0, start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) (parts.push(text.slice(start, i).trim()), (start = i + 1));
  }
  parts.push(text.slice(start).trim());
  return parts;
}

/** A Python number or tuple/dict literal of numbers as JSON. */
const literal = (text: string): unknown => JSON.parse(text.replace(/\(/g, '[').replace(/\)/g, ']'));

describe('the GPU rung repeats the trainer constants exactly', () => {
  it('loss constants (training/src/train/losses.ts)', () => {
    const ts = { BCE_EPSILON, TVERSKY_ALPHA, FOCAL_GAMMA, TVERSKY_SMOOTH, FOCAL_FLOOR };
    for (const [name, value] of Object.entries(ts)) expect(Number(pythonConstant(name)), name).toBe(value);
  });

  it('Adam settings and the constant-rate epochs (training/src/train/schedule.ts)', () => {
    const adam = literal(pythonConstant('ADAM')) as Record<string, [number, number]>;
    expect(adam).toEqual({ classifier: [ADAM.classifier.lr, ADAM.classifier.epsilon], segmenter: [ADAM.segmenter.lr, ADAM.segmenter.epsilon] });
    expect(Number(pythonConstant('CONSTANT_EPOCHS'))).toBe(CONSTANT_EPOCHS);
  });

  it('intensity jitter (training/src/data/intensity.ts)', () => {
    expect(Number(pythonConstant('JITTER_PROBABILITY'))).toBe(JITTER_PROBABILITY);
    expect(literal(pythonConstant('GAMMA_RANGE'))).toEqual([...GAMMA_RANGE]);
    expect(literal(pythonConstant('GAIN_RANGE'))).toEqual([...GAIN_RANGE]);
  });

  it('reads what it checks: a changed Python value would be seen', () => {
    expect(splitTopLevel('0.5, (0.5, 1.5), (0.8, 1.2)')).toEqual(['0.5', '(0.5, 1.5)', '(0.8, 1.2)']);
    expect(() => pythonConstant('NO_SUCH_CONSTANT')).toThrow(/no top-level assignment/);
  });
});
