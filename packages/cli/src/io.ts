/** Where the CLI writes and what it reads from its environment (injectable for tests). */
export interface CliIo {
  /** Machine-readable output (JSON results, tables). */
  readonly stdout: (text: string) => void;
  /** Human summaries, progress and errors. */
  readonly stderr: (text: string) => void;
  /** Environment variables. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Directory that relative paths resolve against. */
  readonly cwd: string;
  /** Whether stderr is an interactive terminal (progress bars) or not (plain lines). */
  readonly isTTY: boolean;
}

/** The real process streams. */
export function processIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stderr.isTTY),
  };
}
