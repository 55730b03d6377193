/** A problem with something the user (or a data folder) gave us: the message names the file and says what is wrong. */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'InputError';
  }
}

/** The file is not an image at all (a text file, a spreadsheet, a system file in a folder): skipped, not damaged. */
export class NotAnImageError extends InputError {
  constructor(file: string) {
    super(file, 'not an image this app reads: expected a TIFF slice (or PNG/JPEG)');
    this.name = 'NotAnImageError';
  }
}

/**
 * The file is a TIFF but cannot be read: cut short (a copy that never finished) or damaged. The plain words come first;
 * the technical detail after them is for whoever looks into the file.
 */
export class DamagedTiffError extends InputError {
  constructor(file: string, detail: string) {
    super(file, `this TIFF is damaged or incomplete and cannot be read — ${detail}`);
    this.name = 'DamagedTiffError';
  }
}
