/** Terminal output helpers: progress to stderr, machine output to stdout; TTY and NO_COLOR aware. */
const colorOn = (stream: NodeJS.WriteStream) => Boolean(stream.isTTY) && !process.env['NO_COLOR'] && process.env['TERM'] !== 'dumb';

const wrap =
  (code: number) =>
  (s: string, stream: NodeJS.WriteStream = process.stderr) =>
    colorOn(stream) ? `\u001b[${code}m${s}\u001b[0m` : s;
export const green = wrap(32);
export const red = wrap(31);
export const yellow = wrap(33);
export const dim = wrap(2);
export const bold = wrap(1);

export const isTTY = (stream: NodeJS.WriteStream = process.stderr) => Boolean(stream.isTTY);

export function info(msg: string): void {
  process.stderr.write(`${msg}\n`);
}

export function out(msg: string): void {
  process.stdout.write(`${msg}\n`);
}
