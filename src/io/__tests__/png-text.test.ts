import { crc32 as zlibCrc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodePng } from '../../../scripts/png-writer';
import { addPngText, readPngText } from '../png-text';

/** [type, data] of every chunk, after checking each one's CRC with zlib's own (an independent implementation). */
function chunks(png: Uint8Array): [string, Buffer][] {
  const buf = Buffer.from(png);
  const out: [string, Buffer][] = [];
  for (let at = 8; at < buf.length; ) {
    const length = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    expect(buf.readUInt32BE(at + 8 + length), `CRC of ${type}`).toBe(zlibCrc32(buf.subarray(at + 4, at + 8 + length)));
    out.push([type, buf.subarray(at + 8, at + 8 + length)]);
    at += 12 + length;
  }
  return out;
}

describe('PNG text (what a saved view says about itself)', () => {
  const pixels = Uint8Array.from({ length: 4 * 3 * 3 }, (_, i) => (i * 37) % 256);
  const png = encodePng(4, 3, pixels);

  it('round-trips UTF-8 entries, placed after IHDR, every CRC valid and the pixels untouched', () => {
    const entries = { Title: 'TCGA_CS_4942_19970222_10.tif', Description: 'Tumor likely · 82.1%\nsecond line', 'lgg:threshold': '0.05', 'Creation Time': 'Mon, 07 Dec 2026 16:00:00 GMT' };
    const out = addPngText(png, entries);
    expect(readPngText(out)).toEqual(entries);
    const types = chunks(out).map(([t]) => t);
    expect(types).toEqual(['IHDR', 'iTXt', 'iTXt', 'iTXt', 'iTXt', 'IDAT', 'IEND']);
    const idat = (p: Uint8Array) => inflateSync(chunks(p).find(([t]) => t === 'IDAT')![1]);
    expect(idat(out).equals(idat(png))).toBe(true);
    expect(readPngText(png)).toEqual({});
  });

  it('refuses keywords PNG does not allow, and bytes that are not a PNG', () => {
    expect(() => addPngText(png, { ' lead': 'x' })).toThrow(/invalid PNG text keyword/);
    expect(() => addPngText(png, { ['k'.repeat(80)]: 'x' })).toThrow(/invalid PNG text keyword/);
    expect(() => addPngText(png, { 'two  spaces': 'x' })).toThrow(/invalid PNG text keyword/);
    expect(() => addPngText(png, { '': 'x' })).toThrow(/invalid PNG text keyword/);
    expect(() => addPngText(new Uint8Array(64), { Title: 'x' })).toThrow('not a PNG');
  });
});
