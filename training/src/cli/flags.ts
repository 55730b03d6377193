/**
 * The CLIs' flag parsing and number checks in one place: a wrong flag or value is a UsageError (one line, exit 2),
 * never parseArgs' stack trace, and every command reads numbers by the same rules. A command declared with
 * `defineCommand` keeps each flag's help beside its definition, and `parseCommand` answers `--help` / `-h` from it.
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
    // parseArgs adds advice on '--' and positionals that does not apply to these commands; a string flag followed by
    // another flag (`--parts -h`, `--seed --augment`) gets three lines of advice, here one.
    const message = (e as Error).message;
    const ambiguous = /^Option '(--[^']+)' argument is ambiguous/.exec(message);
    throw new UsageError(ambiguous ? `${ambiguous[1]} needs a value (one that starts with a dash is written ${ambiguous[1]}=-VALUE)` : message.replace(/\. To specify .*$/s, ''));
  }
}

/** One flag of a command: parseArgs' definition plus what `--help` says about it. */
export interface Flag {
  type: 'string' | 'boolean';
  default?: string | boolean;
  /** The value's placeholder in the help: `DIR`, `N`, `classifier|segmenter`. String flags only. */
  value?: string;
  /** What the flag does, one line. */
  help: string;
  /** The default in words where it is not the parser's literal one (computed later, or depends on other flags). */
  defaultHelp?: string;
  /** Shown as "(required)" instead of a default. */
  required?: boolean;
}

/** --backend of the commands that run on the backend ladder's best rung unless told (train, evaluate, compare, fit-combined). */
export const LADDER_BACKEND_FLAG = { type: 'string', value: 'NAME', defaultHelp: 'best available', help: 'tfjs-node-gpu, tfjs-node, webgpu, native, wasm or cpu' } as const;
/** --quiet of the commands with a progress line. */
export const QUIET_FLAG = { type: 'boolean', default: false, help: 'no progress line' } as const;

export interface Command<O extends Record<string, Flag>> {
  /** The root npm script the user runs (`npm run <script> -- ...`), also the prefix of the command's error lines. */
  script: string;
  /** The usage line(s) after `npm run <script> -- `; default: the required flags then `[flags]`. */
  usage?: string[];
  /** What the command does, one or two lines. */
  about: string;
  flags: O;
  /** Lines after the flag list (how flags combine, where to read more). */
  notes?: string[];
}

/** A command's flags and help in one object; `const` keeps each flag's literal type for parseArgs' typed values. */
export function defineCommand<const O extends Record<string, Flag>>(command: Command<O>): Command<O> {
  return command;
}

function flagLabel(name: string, f: Flag): string {
  return f.type === 'string' ? `--${name} ${f.value ?? 'VALUE'}` : `--${name}`;
}

function flagDefault(f: Flag): string {
  if (f.required) return 'required';
  if (f.defaultHelp !== undefined) return `default: ${f.defaultHelp}`;
  // A boolean flag is off unless given.
  if (f.type === 'boolean') return '';
  return f.default === undefined ? '' : `default: ${f.default}`;
}

const HELP_COLUMNS = 110;

/** Words into lines of at most `columns` characters (a longer word gets a line of its own). */
function wrap(words: string[], columns: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + 1 + word.length > columns) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

/** `usage: npm run <script> -- ...`, one line per form: the required flags, then `[flags]`. */
function usageLines(command: Command<Record<string, Flag>>): string[] {
  const prefix = `npm run ${command.script} -- `;
  const required = Object.entries(command.flags).filter(([, f]) => f.required);
  const forms = command.usage ?? [[...required.map(([n, f]) => flagLabel(n, f)), '[flags]'].join(' ')];
  return forms.map((form, i) => `${i ? '       ' : 'usage: '}${prefix}${form}`);
}

/** What a command prints (stderr, exit 2) when its required flags are missing: its usage, and where the flags are. */
export function usageText(command: Command<Record<string, Flag>>): string {
  return [...usageLines(command), `(npm run ${command.script} -- --help lists every flag)`].join('\n') + '\n';
}

/** `usage: npm run <script> -- ...`, what it does, then every flag with its default and meaning (and -h / --help). */
export function helpText(command: Command<Record<string, Flag>>): string {
  const lines = usageLines(command);
  lines.push(...command.about.split('\n'), '', 'flags:');
  const rows = [...Object.entries(command.flags).map(([n, f]) => [flagLabel(n, f), f.help, flagDefault(f)] as const), ['-h, --help', 'print this help and exit', ''] as const];
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, help, dflt] of rows) {
    const text = wrap([...help.split(' '), ...(dflt ? [`[${dflt}]`] : [])], Math.max(40, HELP_COLUMNS - width - 4));
    lines.push(`  ${label.padEnd(width)}  ${text[0]}`, ...text.slice(1).map((t) => `${' '.repeat(width + 4)}${t}`));
  }
  if (command.notes?.length) lines.push('', ...command.notes);
  return lines.join('\n') + '\n';
}

/** Whether the arguments ask for help: `--help` or `-h` as a flag, not as the value of a string flag (`--as -h`). */
export function wantsHelp(args: string[], flags: Record<string, Flag>): boolean {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
    if (arg.startsWith('--') && !arg.includes('=') && flags[arg.slice(2)]?.type === 'string') i++;
  }
  return false;
}

/**
 * parseFlags over a command's flags, after `--help` / `-h` (anywhere, whatever else is wrong) printed the help to
 * stdout and ended the process with 0. A wrong flag throws a UsageError, as parseFlags does.
 */
export function parseCommand<O extends Record<string, Flag>>(command: Command<O>, args: string[] = process.argv.slice(2)) {
  if (wantsHelp(args, command.flags)) {
    process.stdout.write(helpText(command));
    process.exit(0);
  }
  const options = Object.fromEntries(
    Object.entries(command.flags).map(([n, f]) => [n, { type: f.type, ...(f.default !== undefined && { default: f.default }) }]),
  ) as unknown as O;
  return parseFlags(options, args);
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

/** A folder name inside another folder (`--as segmenter-2`): no path, so nothing is written outside it. */
export function plainFolderName(v: string | undefined, flag: string): string {
  if (!isPlainFolderName(v)) throw new UsageError(`${flag} needs a plain folder name inside --out (e.g. segmenter-2), not a path: got '${v ?? ''}'`);
  return v;
}

export function isPlainFolderName(v: string | undefined): v is string {
  return !!v && v.trim() === v && v !== '.' && v !== '..' && !/[/\\\0]/.test(v);
}

/** A value that must be one of a list. */
export function oneOf<T extends string>(v: string | undefined, flag: string, allowed: readonly T[]): T {
  if (!allowed.includes(v as T)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got '${v ?? ''}'`);
  return v as T;
}
