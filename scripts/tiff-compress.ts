/** Encoders for the corpus writer: TIFF LZW (MSB-first, 9-12 bit codes, early change) and PackBits. */

export function lzwEncode(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let accBits = 0;
  let width = 9;
  const write = (code: number) => {
    acc = (acc << width) | code;
    accBits += width;
    while (accBits >= 8) {
      out.push((acc >>> (accBits - 8)) & 0xff);
      accBits -= 8;
    }
    acc &= (1 << accBits) - 1;
  };
  let dict = new Map<number, number>();
  let next = 258;
  write(256);
  // The decoder adds an entry one code later than the encoder; TIFF's "early change" widens codes at 2^w - 1.
  const grow = () => {
    next++;
    if (next >= 1 << width && width < 12) width++;
  };
  if (data.length > 0) {
    let w = data[0];
    for (let i = 1; i < data.length; i++) {
      const key = w * 256 + data[i];
      const hit = dict.get(key);
      if (hit !== undefined) {
        w = hit;
        continue;
      }
      write(w);
      dict.set(key, next);
      grow();
      if (next >= 4093) {
        write(256);
        dict = new Map();
        next = 258;
        width = 9;
      }
      w = data[i];
    }
    write(w);
    grow();
  }
  write(257);
  if (accBits > 0) out.push((acc << (8 - accBits)) & 0xff);
  return Uint8Array.from(out);
}

export function packBitsEncode(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < data.length) {
    let run = 1;
    while (i + run < data.length && run < 128 && data[i + run] === data[i]) run++;
    if (run >= 3) {
      out.push((1 - run) & 0xff, data[i]);
      i += run;
      continue;
    }
    const start = i;
    while (i < data.length && i - start < 128 && !(i + 2 < data.length && data[i] === data[i + 1] && data[i] === data[i + 2])) i++;
    out.push(i - start - 1);
    for (let k = start; k < i; k++) out.push(data[k]);
  }
  return Uint8Array.from(out);
}
