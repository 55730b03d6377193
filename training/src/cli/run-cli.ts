/** Runs a CLI's main and exits with its code; a data problem or a wrong flag prints its message alone, anything else in full. */
import { InputError } from '../../../src/io/errors';

/** A wrong flag: the message says what to pass instead, so no stack trace follows it. */
export class UsageError extends Error {}

export function runCli(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof InputError ? `data error: ${e.message}` : e instanceof UsageError ? e.message : e);
      process.exit(2);
    },
  );
}
