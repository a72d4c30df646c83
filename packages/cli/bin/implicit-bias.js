#!/usr/bin/env node
// The installed `implicit-bias` command. It is committed (not built) so that npm links it when a
// fresh clone is installed, before `npm run build` has produced dist/.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    'implicit-bias: the command is not built yet; run `npm run build` first (at the repository root)\n',
  );
  process.exit(1);
}
await import(entry.href);
