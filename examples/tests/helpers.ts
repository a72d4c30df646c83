// Shared helpers of the examples project: run a script as a child process, extract code blocks
// from markdown, and read numbers back from printed lines.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';

/** The repository root (examples/tests/ → ../..). */
export const ROOT = resolve(__dirname, '../..');

/** What a child process printed and how it ended. */
export interface RunOutput {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Run `node <file>` with `cwd` and environment overrides; the built packages resolve through the
 * repository's node_modules because every file we run lives inside the repository.
 */
export function runNode(file: string, cwd: string, env: Record<string, string> = {}): RunOutput {
  const r = spawnSync(process.execPath, [file], {
    cwd,
    encoding: 'utf8',
    env: { ...plainEnv(), ...env },
    timeout: 240_000,
  });
  return { status: r.status, stdout: stripAnsi(r.stdout ?? ''), stderr: stripAnsi(r.stderr ?? '') };
}

/** This process's environment without colour (nx sets FORCE_COLOR, which colours console.log). */
export function plainEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env['FORCE_COLOR'];
  return env;
}

/** Remove ANSI colour codes, so that printed numbers parse whatever the terminal. */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

/** One fenced code block of a markdown file. */
export interface CodeBlock {
  /** The fence's language tag (`ts`, `js`, `sh`, …). */
  readonly lang: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly code: string;
}

/** Every fenced block (``` or ~~~) of a markdown text, in order. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const out: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(```|~~~)\s*([\w-]*)/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[2]!;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !lines[j]!.trimStart().startsWith(fence)) body.push(lines[j++]!);
    out.push({ lang: open[3] ?? '', line: i + 1, code: body.join('\n') + '\n' });
    i = j;
  }
  return out;
}

/** The languages whose blocks are executed; anything else (`sh`, `json`, `text`) is prose. */
export const EXECUTED = new Set(['ts', 'typescript', 'js', 'javascript', 'mjs']);

/** Strip TypeScript syntax (types, `!`) so that a block runs as a plain ES module. */
export function toModule(code: string): string {
  return ts.transpileModule(code, {
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: false,
    },
  }).outputText;
}

/**
 * A fresh scratch directory under the repository's git-ignored `tmp/`, so that imports of
 * `@implicit-bias/*` resolve to the workspace packages (their built `dist`).
 */
export function scratchDir(prefix: string): string {
  mkdirSync(join(ROOT, 'tmp'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, 'tmp', `${prefix}-`));
  scratch.push(dir);
  return dir;
}

const scratch: string[] = [];

/** Remove every scratch directory made so far (call from `afterAll`). */
export function removeScratch(): void {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Write `text` to `dir/name` and return the path. */
export function writeIn(dir: string, name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** Read a text file. */
export function read(path: string): string {
  return readFileSync(path, 'utf8');
}

/**
 * The number printed right after `label` on the first line that contains it (for example
 * `numberAfter(out, 'distance to argmin Q')`); throws with the output when it is missing.
 */
export function numberAfter(text: string, label: string, from = 0): number {
  const at = text.indexOf(label, from);
  if (at < 0) throw new Error(`"${label}" not printed; output was:\n${text}`);
  const m = /[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/i.exec(text.slice(at + label.length));
  if (!m) throw new Error(`no number after "${label}" in:\n${text}`);
  return Number(m[0]);
}

/** Every number printed after `label`, one per occurrence, in order. */
export function numbersAfter(text: string, label: string): number[] {
  const out: number[] = [];
  let at = text.indexOf(label);
  while (at >= 0) {
    out.push(numberAfter(text, label, at));
    at = text.indexOf(label, at + label.length);
  }
  return out;
}
