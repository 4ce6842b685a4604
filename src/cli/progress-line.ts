/**
 * One line of a terminal rewritten in place: `\r`, clear to the end of the line, the new
 * text, no newline. Redrawn on a timer a few times a second (never on each event), and
 * every time, so a log line that cleared it meanwhile (the CLI's pretty log lines start
 * by clearing the current line: pretty-log-transport.ts) gets it back below itself.
 * Cut to the terminal's width: a line that wraps cannot be rewritten in place.
 */

/** How often the line is redrawn. */
export const PROGRESS_REDRAW_MS = 250;

const CLEAR_LINE = '\r\x1b[K';

/** A terminal stream (stdout when it is a TTY). */
export type TerminalStream = NodeJS.WritableStream & { readonly columns?: number };

/** See the module comment. */
export class ProgressLine {
  private timer: NodeJS.Timeout | undefined;
  private shown = false;

  constructor(
    private readonly out: TerminalStream,
    private readonly redrawMs = PROGRESS_REDRAW_MS,
  ) {}

  /** Shows `text()` now and redraws it every redrawMs until hide(). */
  show(text: () => string): void {
    this.stopTimer();
    const draw = () => {
      // A terminal of unknown size (0 columns under `script`) is taken as 80 wide.
      const width = Math.max(20, (this.out.columns || 80) - 1);
      const line = text();
      this.out.write(`${CLEAR_LINE}${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
      this.shown = true;
    };
    draw();
    this.timer = setInterval(draw, this.redrawMs);
    // The line never keeps the process alive.
    this.timer.unref();
  }

  /** Clears the line so other text can be written from its start; the next redraw brings it back. */
  clear(): void {
    if (this.shown) this.out.write(CLEAR_LINE);
  }

  /** Stops redrawing and clears the line (the cursor stays at its start). */
  hide(): void {
    this.stopTimer();
    if (this.shown) this.out.write(CLEAR_LINE);
    this.shown = false;
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
