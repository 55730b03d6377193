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
