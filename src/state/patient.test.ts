import { describe, expect, it } from 'vitest';
import { parseSliceName } from '../core/slices';
import type { Intake } from './intake';
import { addToPatient, joinsOpenPatient, openPatient, usePatient, type PatientSlice } from './patient';
import { useStore } from './store';

const W = 2;
const image = (v: number) => ({ width: W, height: W, data: new Uint8Array(W * W * 3).fill(v) });
const analysis = (p: number) => ({ probability: p, classifierProbability: p, combined: false, segmentation: null, segmenters: 0, timings: { classifyMs: 0, segmentMs: 0, totalMs: 0 } });
const open = (n: number, v = n): PatientSlice => ({ name: parseSliceName(`P_${n}.tif`), image: image(v), sourceSize: { width: W, height: W }, notes: [], truth: null, analysis: analysis(n / 100), error: null });
const given = (file: string, v: number, withMask = false): Intake['slices'][number] => ({
  image: { name: parseSliceName(file), image: image(v), notes: [], sourceSize: { width: W, height: W } },
  mask: withMask ? { name: parseSliceName(file.replace('.tif', '_mask.tif')), mask: { width: W, height: W, data: new Uint8Array(W * W) }, notes: [], sourceSize: { width: W, height: W } } : null,
});
const intake = (slices: Intake['slices']): Intake => ({ slices, orphanMasks: [], errors: [], unread: [], notes: [] });

describe('slices given for the patient open', () => {
  it('join it in slice order, the results kept, the selection on the slice it was on', () => {
    // Slices 1, 2, 5 and 6 analyzed, slice 5 on screen.
    usePatient.setState({ runId: 7, slices: [open(1), open(2), open(5), open(6)], unread: [{ index: 3, file: 'P_3.tif', reason: 'P_3.tif: damaged' }], selected: 2, running: true, cancelled: false, folder: null });
    useStore.setState({ current: { id: 1, patientIndex: 2, name: parseSliceName('P_5.tif'), image: open(5).image, notes: [], sourceSize: { width: W, height: W }, truth: null, analysis: null, analyzing: false, segmenting: false, error: null, droppedAt: 0, dropToProbabilityMs: null, dropToResultMs: null } });
    const add = intake([given('P_3.tif', 3), given('P_4.tif', 4), given('P_5.tif', 5, true), given('P_6.tif', 60)]);
    expect(joinsOpenPatient(add)).toBe(true);
    expect(joinsOpenPatient(intake([given('Q_3.tif', 3)]))).toBe(false);
    expect(joinsOpenPatient(intake([given('P_3.tif', 3), given('scan.tif', 3)]))).toBe(false);

    expect(addToPatient(add)).toEqual({ added: [3, 4], kept: [5], replaced: [6], truth: [5] });
    const st = usePatient.getState();
    expect(st.slices.map((s) => s.name.index)).toEqual([1, 2, 3, 4, 5, 6]);
    // 1, 2 and 5 keep their results (5 with the same image, now with the mask given with it); 6 had another image.
    expect(st.slices.map((s) => s.analysis?.probability ?? null)).toEqual([0.01, 0.02, null, null, 0.05, null]);
    expect(st.slices[4].truth?.file).toBe('P_5_mask.tif');
    expect(st.slices[5].image.data[0]).toBe(60);
    expect(st.selected).toBe(4);
    expect(useStore.getState().current?.patientIndex).toBe(4);
    expect(useStore.getState().current?.name.file).toBe('P_5.tif');
    // Slice 3, unread before, is read now; the same run goes on (no new run id).
    expect(st.unread).toEqual([]);
    expect(st.runId).toBe(7);
  });
});

describe('a patient opens', () => {
  it('on its middle slice, not on the nearly black first one', async () => {
    await openPatient(intake(Array.from({ length: 20 }, (_, i) => given(`P_${i + 1}.tif`, i + 1))));
    expect(usePatient.getState().selected).toBe(9);
    expect(useStore.getState().current?.name.file).toBe('P_10.tif');
    await openPatient(intake([given('P_7.tif', 7), given('P_8.tif', 8), given('P_9.tif', 9)]));
    expect(useStore.getState().current?.name.file).toBe('P_8.tif');
    await openPatient(intake([given('P_7.tif', 7), given('P_8.tif', 8)]));
    expect(useStore.getState().current?.name.file).toBe('P_7.tif');
  });
});
