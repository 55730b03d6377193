/** Intake on the real fixture slices: pairing with masks, conversion notes, and messages for bad files. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { maskArea } from '../core/image';
import { filesOfPatient, intakeFiles, severalPatientsNote } from './intake';

const FIXTURES = path.resolve(__dirname, '../../../shared/data/lgg/fixtures');
const file = (name: string, bytes?: Uint8Array) => new File([(bytes ?? fs.readFileSync(path.join(FIXTURES, name))) as BlobPart], name);

describe('intakeFiles', () => {
  it('pairs a slice with its _mask file whatever the order', async () => {
    const r = await intakeFiles([file('TCGA_FG_6688_20020215_20_mask.tif'), file('TCGA_FG_6688_20020215_20.tif')]);
    expect(r.errors).toEqual([]);
    expect(r.slices).toHaveLength(1);
    const s = r.slices[0];
    expect(s.image.name.file).toBe('TCGA_FG_6688_20020215_20.tif');
    expect(s.image.image.width).toBe(256);
    expect(s.image.notes).toEqual([]);
    expect(s.mask!.name.file).toBe('TCGA_FG_6688_20020215_20_mask.tif');
    expect(maskArea(s.mask!.mask)).toBeGreaterThan(1000);
  });

  it('keeps a mask without its image apart, for use as ground truth', async () => {
    const r = await intakeFiles([file('TCGA_HT_8113_19930809_12_mask.tif')]);
    expect(r.slices).toEqual([]);
    expect(r.orphanMasks.map((m) => m.name.file)).toEqual(['TCGA_HT_8113_19930809_12_mask.tif']);
    expect(maskArea(r.orphanMasks[0].mask)).toBeGreaterThan(100);
  });

  it('names the file and the problem for bad input, and still reads the good files', async () => {
    const good = fs.readFileSync(path.join(FIXTURES, 'TCGA_FG_6688_20020215_12.tif'));
    const r = await intakeFiles([
      file('empty.tif', new Uint8Array(0)),
      file('readme.txt', new TextEncoder().encode('hello')),
      file('short.tif', good.subarray(0, 5000)),
      file('TCGA_FG_6688_20020215_12.tif'),
    ]);
    expect(r.slices.map((s) => s.image.name.file)).toEqual(['TCGA_FG_6688_20020215_12.tif']);
    expect(r.errors).toHaveLength(2);
    expect(r.errors[0]).toMatch(/^empty\.tif: .*empty/);
    expect(r.errors[1]).toMatch(/^short\.tif: .*(truncated|damaged)/);
    // The files named as images that could not be read, for the patient view to name (not readme.txt: no image).
    // Each with the reason the error gave.
    expect(r.unread).toEqual([{ file: 'empty.tif', reason: r.errors[0] }, { file: 'short.tif', reason: r.errors[1] }]);
    // Beside an image it came with, a file that is not an image is a note; alone it is an error.
    expect(r.notes).toEqual(['readme.txt: not an image this app reads: expected a TIFF slice (or PNG/JPEG)']);
    const alone = await intakeFiles([file('readme.txt', new TextEncoder().encode('hello'))]);
    expect(alone.errors).toEqual(['readme.txt: not an image this app reads: expected a TIFF slice (or PNG/JPEG)']);
    expect(alone.notes).toEqual([]);
  });

  it('a folder full of other files: one message for everything that is not an image, and the slices still open', async () => {
    const text = (name: string) => file(name, new TextEncoder().encode(`not a slice: ${name}`));
    const r = await intakeFiles([
      text('.DS_Store'),
      file('TCGA_FG_6688_20020215_12.tif'),
      text('notes.txt'),
      text('data.csv'),
      file('TCGA_FG_6688_20020215_20.tif'),
      file('TCGA_FG_6688_20020215_20_mask.tif'),
      text('._TCGA_FG_6688_20020215_20.tif'),
      text('README.md'),
    ]);
    expect(r.slices.map((s) => s.image.name.file).sort()).toEqual(['TCGA_FG_6688_20020215_12.tif', 'TCGA_FG_6688_20020215_20.tif']);
    expect(r.errors).toEqual([]);
    expect(r.notes).toEqual(['5 files are not images this app reads and were skipped: .DS_Store, notes.txt, data.csv and 2 more']);
  });

  it('two files of the same slice (another extension or case): the first is used and the other named in a note', async () => {
    const r = await intakeFiles([
      file('TCGA_FG_6688_20020215_20.tif'),
      file('TCGA_FG_6688_20020215_20_mask.tif'),
      file('TCGA_FG_6688_20020215_20.tiff', fs.readFileSync(path.join(FIXTURES, 'TCGA_FG_6688_20020215_12.tif'))),
      file('TCGA_FG_6688_20020215_20_MASK.tif', fs.readFileSync(path.join(FIXTURES, 'TCGA_FG_6688_20020215_12_mask.tif'))),
    ]);
    expect(r.slices).toHaveLength(1);
    expect(r.slices[0].image.name.file).toBe('TCGA_FG_6688_20020215_20.tif');
    expect(r.slices[0].mask!.name.file).toBe('TCGA_FG_6688_20020215_20_mask.tif');
    expect(maskArea(r.slices[0].mask!.mask)).toBeGreaterThan(1000); // slice 20's own mask, not 12's empty one
    expect(r.errors).toEqual([]);
    expect(r.notes).toEqual([
      'TCGA_FG_6688_20020215_20.tiff: the same slice as TCGA_FG_6688_20020215_20.tif, which is used; this one was set aside',
      'TCGA_FG_6688_20020215_20_MASK.tif: the same slice as TCGA_FG_6688_20020215_20_mask.tif, which is used; this one was set aside',
    ]);
  });

  it('a file named as a slice that is not one is an error saying what it is, even beside good slices', async () => {
    const good = fs.readFileSync(path.join(FIXTURES, 'TCGA_FG_6688_20020215_12.tif'));
    const headerless = Uint8Array.from(good);
    headerless.fill(0, 0, 8);
    const lfs = new TextEncoder().encode('version https://git-lfs.github.com/spec/v1\noid sha256:4d7a\nsize 196748\n');
    const r = await intakeFiles([
      file('TCGA_FG_6688_20020215_12.tif'),
      file('TCGA_FG_6688_20020215_13.tif', headerless),
      file('TCGA_FG_6688_20020215_14.tif', lfs),
      file('scan.png', new TextEncoder().encode('<html>')),
      file('notes.txt', new TextEncoder().encode('hello')),
    ]);
    expect(r.slices.map((s) => s.image.name.file)).toEqual(['TCGA_FG_6688_20020215_12.tif']);
    expect(r.errors).toEqual([
      'TCGA_FG_6688_20020215_13.tif: not a TIFF file (no TIFF signature)',
      'TCGA_FG_6688_20020215_14.tif: not a TIFF file: it looks like a Git LFS pointer (the real file was never downloaded)',
      'scan.png: not a PNG file: it looks like a text file',
    ]);
    expect(r.unread.map((u) => u.file)).toEqual(['TCGA_FG_6688_20020215_13.tif', 'TCGA_FG_6688_20020215_14.tif', 'scan.png']);
    expect(r.unread.map((u) => u.reason)).toEqual(r.errors);
    expect(r.notes).toEqual(['notes.txt: not an image this app reads: expected a TIFF slice (or PNG/JPEG)']);
  });
});

describe('intakeFiles with a mask of another size', () => {
  it('refuses the mask, naming it and both sizes, and still opens its image', async () => {
    const { encodeTiff } = await import('../../scripts/tiff-writer');
    const small = encodeTiff([{ width: 100, height: 37, samplesPerPixel: 1, bits: 8, samples: new Array(100 * 37).fill(255) }]);
    const r = await intakeFiles([file('TCGA_FG_6688_20020215_20.tif'), file('TCGA_FG_6688_20020215_20_mask.tif', small)]);
    expect(r.slices).toHaveLength(1);
    expect(r.slices[0].image.name.file).toBe('TCGA_FG_6688_20020215_20.tif');
    expect(r.slices[0].mask).toBeNull();
    expect(r.errors).toEqual(['TCGA_FG_6688_20020215_20_mask.tif: the mask is 100x37 but its image is 256x256: a mask must have the size of its image (another slice, or a scaled copy?)']);
  });

  it('keeps the decoded size of a lone mask, so adding it as ground truth can be checked', async () => {
    const { encodeTiff } = await import('../../scripts/tiff-writer');
    const small = encodeTiff([{ width: 100, height: 37, samplesPerPixel: 1, bits: 8, samples: new Array(100 * 37).fill(0) }]);
    const r = await intakeFiles([file('other_mask.tif', small)]);
    expect(r.orphanMasks[0].sourceSize).toEqual({ width: 100, height: 37 });
  });
});

describe('filesOfPatient', () => {
  const named = (name: string) => ({ name });
  const set = ['TCGA_HT_8113_19930809_12.tif', 'TCGA_FG_6688_20020215_20.tif', 'notes.txt', 'TCGA_FG_6688_20020215_12.tif', 'TCGA_FG_6688_20020215_12_mask.tif', 'TCGA_HT_8113_19930809_12_mask.tif'].map(named);

  it('files of two patients: the first patient and the files without a slice number, both patients listed', () => {
    const r = filesOfPatient(set);
    expect(r.files.map((f) => f.name)).toEqual(['TCGA_FG_6688_20020215_20.tif', 'notes.txt', 'TCGA_FG_6688_20020215_12.tif', 'TCGA_FG_6688_20020215_12_mask.tif']);
    expect(r.patients).toEqual(['TCGA_FG_6688_20020215', 'TCGA_HT_8113_19930809']);
    expect(r.chosen).toBe('TCGA_FG_6688_20020215');
    expect(severalPatientsNote(r, 2)).toBe(
      'The files hold 2 patients; the patient view shows one at a time, TCGA_FG_6688_20020215 (2 slices) first. Choose another in the patient panel.',
    );
  });

  it('another patient on request, without the unnumbered files (read once, with the first); an unknown name falls back to the first', () => {
    expect(filesOfPatient(set, 'TCGA_HT_8113_19930809').files.map((f) => f.name)).toEqual(['TCGA_HT_8113_19930809_12.tif', 'TCGA_HT_8113_19930809_12_mask.tif']);
    expect(filesOfPatient(set, 'TCGA_XX_0000_20000101').files.map((f) => f.name)).toContain('notes.txt');
    expect(filesOfPatient(set, 'TCGA_XX_0000_20000101').chosen).toBe('TCGA_FG_6688_20020215');
  });

  it('one patient, or loose images without slice numbers, pass unchanged', () => {
    const one = [named('TCGA_FG_6688_20020215_20.tif'), named('TCGA_FG_6688_20020215_12.tif')];
    expect(filesOfPatient(one)).toEqual({ files: one, patients: ['TCGA_FG_6688_20020215'], chosen: 'TCGA_FG_6688_20020215' });
    expect(severalPatientsNote(filesOfPatient(one), 2)).toBeNull();
    const loose = [named('scan-a.tif'), named('scan-b.png')];
    expect(filesOfPatient(loose)).toEqual({ files: loose, patients: [], chosen: null });
  });

  it("macOS' ._ twins name no patient: the real patients are offered, the twins go with the first to be listed as non-images", () => {
    const mac = [...set, named('._TCGA_HT_8113_19930809_12.tif'), named('._TCGA_FG_6688_20020215_20.tif'), named('._TCGA_AA_0000_20000101_1.tif')];
    const r = filesOfPatient(mac);
    expect(r.patients).toEqual(['TCGA_FG_6688_20020215', 'TCGA_HT_8113_19930809']);
    expect(r.chosen).toBe('TCGA_FG_6688_20020215');
    expect(r.files.map((f) => f.name).filter((n) => n.startsWith('._'))).toHaveLength(3);
    expect(filesOfPatient(mac, 'TCGA_HT_8113_19930809').files.map((f) => f.name)).toEqual(['TCGA_HT_8113_19930809_12.tif', 'TCGA_HT_8113_19930809_12_mask.tif']);
    // One real patient and its twins is one patient: no choice to offer.
    expect(filesOfPatient([named('TCGA_FG_6688_20020215_20.tif'), named('._TCGA_FG_6688_20020215_20.tif')]).patients).toEqual(['TCGA_FG_6688_20020215']);
  });

  it('a whole data folder: only the chosen patient is kept for decoding', () => {
    const many = Array.from({ length: 110 }, (_, p) => Array.from({ length: 30 }, (_, n) => named(`TCGA_XX_${1000 + p}_20000101_${n + 1}.tif`))).flat();
    const r = filesOfPatient([...many].reverse());
    expect(r.patients).toHaveLength(110);
    expect(r.files).toHaveLength(30);
    expect(r.files.every((f) => f.name.startsWith('TCGA_XX_1000_20000101_'))).toBe(true);
  });
});
