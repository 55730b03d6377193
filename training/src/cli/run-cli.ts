/** Runs a CLI's main and exits with its code; a data problem prints its message alone (it names the file), anything else in full. */
import { InputError } from '../../../src/io/errors';

export function runCli(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof InputError ? `data error: ${e.message}` : e);
      process.exit(2);
    },
  );
}
