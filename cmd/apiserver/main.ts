#!/usr/bin/env node
// Entry point of the API server; see `node dist/cmd/apiserver/main.js --help`.
import { runCommand } from './app/server.js';

runCommand(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
