/** A progress bar on stderr for interactive terminals; silent when piped, in CI or with --quiet. */
import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

const SILENT: Progress = { update: () => undefined, stop: () => undefined };

export function createProgress(opts: { quiet: boolean }): Progress {
  if (opts.quiet || !process.stderr.isTTY || process.env['CI']) return SILENT;
  const started = Date.now();
  const bar = new cliProgress.SingleBar(
    { format: 'redline {bar} {value}/{total} files | {elapsed}s', stream: process.stderr, clearOnComplete: true, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let running = false;
  return {
    update(done, total) {
      const elapsed = Math.round((Date.now() - started) / 1000);
      if (!running) {
        bar.start(total, done, { elapsed });
        running = true;
      } else bar.update(done, { elapsed });
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}
