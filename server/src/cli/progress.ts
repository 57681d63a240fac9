/**
 * A progress bar for long CLI commands. On a terminal it redraws one line in place; in a pipe or a
 * CI log it prints a plain line every few seconds (and at the end) instead of thousands of \r.
 */
export interface ProgressBar {
  /** Set the absolute position (e.g. accounts done so far), optionally with a short note. */
  update(done: number, note?: string): void;
  /** Change the total once it is known. */
  setTotal(total: number): void;
  /** Final line; the bar stays on screen. */
  finish(note?: string): void;
}

export interface ProgressBarOptions {
  label: string;
  total: number;
  /** Unit shown after the counts, e.g. 'accounts'. */
  unit?: string;
  stream?: NodeJS.WriteStream | { isTTY?: boolean; columns?: number; write(text: string): unknown };
  /** Minimum milliseconds between redraws on a terminal (default 100) or lines otherwise (default 2000). */
  intervalMs?: number;
  now?: () => number;
}

const barWidth = 28;

export function createProgressBar(options: ProgressBarOptions): ProgressBar {
  const stream = options.stream ?? process.stderr;
  const interactive = Boolean(stream.isTTY);
  const interval = options.intervalMs ?? (interactive ? 100 : 2000);
  const now = options.now ?? Date.now;
  const startedAt = now();
  let total = options.total;
  let done = 0;
  let lastDrawn = Number.NEGATIVE_INFINITY;
  let finished = false;

  function render(note?: string): string {
    const fraction = total > 0 ? Math.min(done / total, 1) : 0;
    const seconds = (now() - startedAt) / 1000;
    const rate = seconds > 0 ? Math.round(done / seconds) : 0;
    const unit = options.unit ? ` ${options.unit}` : '';
    const counts = `${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}${unit}`;
    const timing = `${seconds.toFixed(1)}s, ${rate.toLocaleString('en-US')}/s`;
    const suffix = note ? ` ${note}` : '';
    if (!interactive)
      return `${options.label}: ${(fraction * 100).toFixed(0)}% ${counts} (${timing})${suffix}`;
    const filled = Math.round(fraction * barWidth);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}`;
    return `${options.label} ${bar} ${(fraction * 100).toFixed(0).padStart(3)}% ${counts} (${timing})${suffix}`;
  }

  function draw(note: string | undefined, force: boolean): void {
    const at = now();
    if (!force && at - lastDrawn < interval) return;
    lastDrawn = at;
    if (interactive) {
      const width = stream.columns ?? 100;
      stream.write(`\r${render(note).slice(0, Math.max(width - 1, 20))}\u001b[K`);
    } else {
      stream.write(`${render(note)}\n`);
    }
  }

  return {
    update(value, note) {
      if (finished) return;
      done = value;
      draw(note, false);
    },
    setTotal(value) {
      total = value;
    },
    finish(note) {
      if (finished) return;
      finished = true;
      done = Math.max(done, total);
      draw(note, true);
      if (interactive) stream.write('\n');
    },
  };
}
