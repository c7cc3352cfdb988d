/**
 * A one-line progress bar for downloads and conversion, drawn on stderr only when it is a TTY
 * (plain per-file lines otherwise, so logs and CI output stay readable).
 */

/** Formats a byte count for humans. */
export function formatBytes(n: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(u === 0 ? 0 : 1)} ${units[u] ?? "B"}`;
}

/** A progress reporter bound to a stream. */
export interface ProgressBar {
  update(label: string, done: number, total: number | undefined): void;
  done(label: string): void;
}

/** Creates a bar on `stream` (default stderr); redraws at most every 100 ms. */
export function createProgressBar(stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  const tty = stream.isTTY;
  let last = 0;
  let lastLabel = "";
  return {
    update(label, done, total) {
      const now = Date.now();
      if (!tty) {
        if (label !== lastLabel)
          stream.write(`${label}${total === undefined ? "" : ` (${formatBytes(total)})`}\n`);
        lastLabel = label;
        return;
      }
      if (now - last < 100 && label === lastLabel && done !== total) return;
      last = now;
      lastLabel = label;
      const width = 30;
      const frac = total === undefined || total === 0 ? 0 : Math.min(1, done / total);
      const bar = "#".repeat(Math.round(frac * width)).padEnd(width, ".");
      const pct = total === undefined ? "" : ` ${(frac * 100).toFixed(0).padStart(3)}%`;
      const size = total === undefined ? formatBytes(done) : `${formatBytes(done)}/${formatBytes(total)}`;
      stream.write(`\r\x1b[2K${label} [${bar}]${pct} ${size}`);
    },
    done(label) {
      if (tty) stream.write(`\r\x1b[2K${label} done\n`);
      lastLabel = "";
    },
  };
}
