/**
 * The CLIs' flag parsing and number checks in one place: a wrong flag or value is a UsageError (one line, exit 2),
 * never parseArgs' stack trace, and every command reads numbers by the same rules.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './run-cli';

type Options = NonNullable<ParseArgsConfig['options']>;

/** `--epochs -3` as `--epochs=-3` (parseArgs calls it ambiguous), so the value's own check says what is wrong. */
function joinNegativeValues(args: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const flag = args[i].startsWith('--') ? options[args[i].slice(2)] : undefined;
    if (flag?.type === 'string' && /^-\d|^-\.\d/.test(args[i + 1] ?? '')) out.push(`${args[i]}=${args[++i]}`);
    else out.push(args[i]);
  }
  return out;
}

/** Strict parseArgs over process.argv: an unknown flag, a missing value or a stray word throws a UsageError. */
export function parseFlags<O extends Options>(options: O, args: string[] = process.argv.slice(2)) {
  try {
    return parseArgs({ options, args: joinNegativeValues(args, options), strict: true, allowPositionals: false }).values;
  } catch (e) {
    // parseArgs adds advice on '--' and positionals that does not apply to these commands.
    throw new UsageError((e as Error).message.replace(/\. To specify .*$/s, ''));
  }
}

/** For CLIs that check flags at module top level: a UsageError ends the process with its message and code 2. */
export function orExit<T>(command: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`${command}: ${e.message}`);
    process.exit(2);
  }
}

function number(v: string | undefined, flag: string, ok: (n: number) => boolean, what: string): number {
  const n = v === undefined || v.trim() === '' ? NaN : Number(v);
  if (!ok(n)) throw new UsageError(`${flag} needs ${what}, got '${v ?? ''}'`);
  return n;
}

export const positiveInt = (v: string | undefined, flag: string) => number(v, flag, (n) => Number.isSafeInteger(n) && n >= 1, 'a positive integer');
/** Seeds: 0 included. */
export const nonNegativeInt = (v: string | undefined, flag: string) => number(v, flag, (n) => Number.isSafeInteger(n) && n >= 0, 'an integer >= 0');
export const positiveNumber = (v: string | undefined, flag: string) => number(v, flag, (n) => Number.isFinite(n) && n > 0, 'a number > 0');
export const nonNegativeNumber = (v: string | undefined, flag: string) => number(v, flag, (n) => Number.isFinite(n) && n >= 0, 'a number >= 0');

/** A value that must be one of a list. */
export function oneOf<T extends string>(v: string | undefined, flag: string, allowed: readonly T[]): T {
  if (!allowed.includes(v as T)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got '${v ?? ''}'`);
  return v as T;
}
