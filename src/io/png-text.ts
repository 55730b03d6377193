/**
 * Text inside a PNG (iTXt chunks: UTF-8, uncompressed), so a saved view says what it shows to any tool that reads
 * PNG metadata (exiftool, an image viewer's properties), even after it is renamed or cropped of its caption.
 */
import { crc32 } from './exportZip';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** PNG keywords: 1-79 printable Latin-1 characters, no leading, trailing or double spaces. */
const validKeyword = (k: string) => /^[\x21-\x7e\xa1-\xff]([\x20-\x7e\xa1-\xff]{0,77}[\x21-\x7e\xa1-\xff])?$/.test(k) && !k.includes('  ');

function isPng(png: Uint8Array): boolean {
  return png.length >= 33 && SIGNATURE.every((b, i) => png[i] === b);
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** iTXt: keyword, NUL, compression flag 0, method 0, empty language tag and translated keyword (NULs), UTF-8 text. */
function itxt(keyword: string, text: string): Uint8Array {
  const key = Uint8Array.from(keyword, (c) => c.charCodeAt(0));
  const body = new TextEncoder().encode(text);
  const data = new Uint8Array(key.length + 5 + body.length);
  data.set(key, 0);
  data.set(body, key.length + 5);
  return chunk('iTXt', data);
}

/** The PNG with one iTXt chunk per entry, placed right after IHDR (readers that stop early still see them). */
export function addPngText(png: Uint8Array, entries: Record<string, string>): Uint8Array {
  if (!isPng(png)) throw new Error('not a PNG');
  const bad = Object.keys(entries).filter((k) => !validKeyword(k));
  if (bad.length) throw new Error(`invalid PNG text keyword(s): ${bad.join(', ')}`);
  const ihdrEnd = 8 + 12 + new DataView(png.buffer, png.byteOffset).getUint32(8);
  const added = Object.entries(entries).map(([k, v]) => itxt(k, v));
  const out = new Uint8Array(png.length + added.reduce((n, c) => n + c.length, 0));
  out.set(png.subarray(0, ihdrEnd), 0);
  let at = ihdrEnd;
  for (const c of added) out.set(c, at), (at += c.length);
  out.set(png.subarray(ihdrEnd), at);
  return out;
}

/** Every tEXt and uncompressed iTXt entry of a PNG, keyword -> text (for checks and round trips). */
export function readPngText(png: Uint8Array): Record<string, string> {
  if (!isPng(png)) throw new Error('not a PNG');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out: Record<string, string> = {};
  const latin1 = (b: Uint8Array) => String.fromCharCode(...b);
  for (let at = 8; at + 12 <= png.length; ) {
    const length = view.getUint32(at);
    const type = latin1(png.subarray(at + 4, at + 8));
    const data = png.subarray(at + 8, at + 8 + length);
    const nul = data.indexOf(0);
    if (type === 'tEXt' && nul > 0) out[latin1(data.subarray(0, nul))] = latin1(data.subarray(nul + 1));
    if (type === 'iTXt' && nul > 0 && data[nul + 1] === 0) {
      const lang = data.indexOf(0, nul + 3);
      const translated = data.indexOf(0, lang + 1);
      out[latin1(data.subarray(0, nul))] = new TextDecoder().decode(data.subarray(translated + 1));
    }
    if (type === 'IEND') break;
    at += 12 + length;
  }
  return out;
}
