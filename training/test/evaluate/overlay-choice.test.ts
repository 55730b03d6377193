import { describe, expect, it } from 'vitest';
import { chooseOverlays, drawnOverlap, fewPerPatient, PATIENTS_SHOWN, PER_PATIENT, PICTURES_PER_SECTION, slicesToDraw, spreadOver } from '../../src/evaluate/overlay-choice';
import type { PatientRow } from '../../src/evaluate/summarize';
import { caption, overlaysMarkdown, pictureFile } from '../../src/evaluate/overlays';
import type { SliceRow } from '../../src/evaluate/run';

/** A slice row: `truth` tumor pixels, an outline of `outline` pixels of which `hit` lie on the tumor. */
const row = (patient: string, index: number, o: { p: number; truth?: number; outline?: number; hit?: number; combined?: number | null }): SliceRow => ({
  patient,
  file: `${patient}_${index}.tif`,
  index,
  tumor: (o.truth ?? 0) > 0,
  truth_pixels: o.truth ?? 0,
  probability: o.p,
  combined_probability: o.combined === undefined ? o.p : o.combined,
  predicted_pixels: o.outline ?? 0,
  intersection: o.hit ?? 0,
  pipeline: {},
});

/** What summarize() gives per patient and the first section reads: the 3-D Dice of the outline on the tumor slices. */
function perPatientOf(rows: SliceRow[]): PatientRow[] {
  return [...new Set(rows.map((r) => r.patient))].map((patient) => {
    const tumor = rows.filter((r) => r.patient === patient && r.tumor).map(drawnOverlap);
    const sum = (k: 'predicted' | 'truth' | 'intersection') => tumor.reduce((n, o) => n + o[k], 0);
    const dice = tumor.length ? (2 * sum('intersection')) / (sum('predicted') + sum('truth')) : null;
    return { patient, segmenter_dice: dice, outline_dice: null } as unknown as PatientRow;
  });
}
const sectionOf = (rows: SliceRow[], title: RegExp) => chooseOverlays(rows, perPatientOf(rows)).find((s) => title.test(s.title));
const names = (rows: SliceRow[] | undefined) => rows?.map((r) => r.file);

describe('chooseOverlays', () => {
  it("shows each patient's largest tumor slice, the patient whose outline scores worst first", () => {
    const rows = [
      row('good', 1, { p: 0.9, truth: 100, outline: 100, hit: 100 }),
      row('good', 2, { p: 0.9, truth: 300, outline: 300, hit: 290 }),
      row('bad', 1, { p: 0.9, truth: 500, outline: 100, hit: 50 }),
      row('bad', 2, { p: 0.9, truth: 50, outline: 0, hit: 0 }),
      row('none', 1, { p: 0.2 }),
    ];
    const largest = sectionOf(rows, /largest tumor/);
    expect(names(largest?.rows)).toEqual(['bad_1.tif', 'good_2.tif']);
    // The order's reason is in the captions: each patient's 3-D Dice (bad: 2*50 / (100 + 550); good: 2*390 / 800).
    expect(largest?.notes).toEqual(['patient 3-D Dice 0.15', 'patient 3-D Dice 0.97']);
  });

  it('samples patients over the whole range of Dice when there are more than fit', () => {
    const rows = Array.from({ length: 30 }, (_, i) => row(`p${String(i).padStart(2, '0')}`, 1, { p: 0.9, truth: 100, outline: 100, hit: i * 3 }));
    const shown = sectionOf(rows, /largest tumor/)!;
    expect(shown.rows).toHaveLength(PATIENTS_SHOWN);
    expect(shown.rows[0].patient).toBe('p00');
    expect(shown.rows.at(-1)!.patient).toBe('p29');
    expect(shown.about).toMatch(/^12 of the 30 patients/);
  });

  it('shows the tumors missed at 0.05 by the probability the app decides on, largest first', () => {
    const rows = [
      row('a', 1, { p: 0.9, truth: 800, combined: 0.01 }), // the classifier says tumor, the decision does not
      row('a', 2, { p: 0.01, truth: 50, combined: 0.049 }),
      row('a', 3, { p: 0.01, truth: 70, combined: 0.05 }), // called at 0.05: not missed
      row('b', 1, { p: 0.01, truth: 900, combined: null }), // no combined.json: the classifier decides
    ];
    expect(names(sectionOf(rows, /missed at 0\.05/)?.rows)).toEqual(['b_1.tif', 'a_1.tif', 'a_2.tif']);
  });

  it('ranks the worst outlines by pixels wrong, and the false alarms by probability', () => {
    const rows = [
      row('a', 1, { p: 0.9, truth: 1000, outline: 900, hit: 900 }), // 100 wrong
      row('a', 2, { p: 0.9, truth: 100, outline: 700, hit: 100 }), // 600 wrong
      row('b', 1, { p: 0.9, truth: 400, outline: 0, hit: 0 }), // 400 wrong
      row('c', 1, { p: 0.3, outline: 40 }),
      row('c', 2, { p: 0.04 }), // not called at 0.05
      row('d', 1, { p: 0.8 }),
    ];
    expect(names(sectionOf(rows, /outlined worst/)?.rows)).toEqual(['a_2.tif', 'b_1.tif', 'a_1.tif']);
    expect(names(sectionOf(rows, /called tumor/)?.rows)).toEqual(['d_1.tif', 'c_1.tif']);
  });

  it('uses the outline of both segmenters when there is one', () => {
    const rows = [
      { ...row('a', 1, { p: 0.9, truth: 100, outline: 100, hit: 100 }), outline: { predicted_pixels: 900, intersection: 0 } },
      row('a', 2, { p: 0.9, truth: 300, outline: 0, hit: 0 }),
    ];
    expect(names(sectionOf(rows, /outlined worst/)?.rows)).toEqual(['a_1.tif', 'a_2.tif']);
    expect(caption(rows[0])).toBe('a, slice 1: probability 0.900; truth 100 px, outline 900 px, Dice 0.00');
  });

  it('leaves out empty sections and draws a slice shown twice once', () => {
    const rows = [row('a', 1, { p: 0.9, truth: 100, outline: 10, hit: 10 })];
    const sections = chooseOverlays(rows, perPatientOf(rows));
    expect(sections.map((s) => s.title)).toEqual(["Each patient's largest tumor", 'Tumors outlined worst']);
    expect(slicesToDraw(sections)).toEqual(rows);
  });
});

describe('fewPerPatient', () => {
  it(`keeps the first ${PER_PATIENT} of each patient, up to a section's ${PICTURES_PER_SECTION}`, () => {
    const rows = ['a', 'a', 'a', 'b', 'a', 'b', 'b', ...'cdefgh'].map((p, i) => row(p, i, { p: 0.5 }));
    expect(fewPerPatient(rows).map((r) => `${r.patient}${r.index}`)).toEqual(['a0', 'a1', 'b3', 'b5', 'c7', 'd8', 'e9', 'f10']);
  });
});

describe('spreadOver', () => {
  it('takes the first, the last and evenly spaced items between', () => {
    expect(spreadOver([0, 1, 2, 3, 4, 5, 6, 7, 8], 3)).toEqual([0, 4, 8]);
    expect(spreadOver([0, 1], 5)).toEqual([0, 1]);
    expect(spreadOver([0, 1, 2], 1)).toEqual([0]);
  });
});

describe('overlays.md', () => {
  it('puts each picture with its caption under its section, two to a row, with text that cannot break the HTML', () => {
    const rows = Array.from({ length: 5 }, (_, i) => row('a<b', i + 1, { p: 0.9, truth: 100 + i, outline: 100, hit: 90 }));
    const md = overlaysMarkdown([{ title: 'Worst', about: 'Why.', rows }], { generated: 'today', data: 'here', hasSecondSegmenter: true });
    expect(md).toContain('## Worst\n\nWhy.\n\n<table>');
    expect(md.match(/<tr>/g)).toHaveLength(3);
    expect(md.split('\n')[0]).toBe('<!-- generated today -->');
    expect(md).toContain('width="512" height="512" alt="a&lt;b, slice 1"><br>a&lt;b, slice 1: probability');
    expect(md.match(/<img /g)).toHaveLength(5);
    expect(pictureFile(rows[0])).toBe('overlays/a<b_1.png');
    expect(md).toContain('src="overlays/a&lt;b_1.png"');
    expect(md).toContain('a&lt;b, slice 1: probability 0.900; truth 100 px, outline 100 px, Dice 0.90');
    expect(md).not.toContain('a<b,');
    expect(md).toMatch(/mean of both segmenters/);
  });
});
