import { describe, expect, it } from 'vitest';
import { dismissLabel } from './Messages';

describe('a message\'s close button', () => {
  it('names the message, a long one cut at a word\'s end', () => {
    expect(dismissLabel('a.tif: not a TIFF file')).toBe('Dismiss: a.tif: not a TIFF file');
    const long = 'TCGA_CS_4942_19970222_7.tif: this TIFF is damaged or incomplete and cannot be read — the file ends inside the TIFF header';
    expect(dismissLabel(long)).toBe('Dismiss: TCGA_CS_4942_19970222_7.tif: this TIFF is damaged or…');
  });
});
