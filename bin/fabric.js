#!/usr/bin/env node
'use strict';
// `fabric lsp --stdio` starts the language server; every other command is the CLI.
if (process.argv[2] === 'lsp') {
  if (!process.argv.includes('--stdio') && !process.argv.some((a) => a.startsWith('--node-ipc') || a.startsWith('--socket=') || a.startsWith('--pipe='))) {
    process.stderr.write('fabric: fabric lsp needs a transport: --stdio (or --node-ipc, --socket=PORT, --pipe=NAME)\n');
    process.exitCode = 2;
  } else {
    require('../out/server.js');
  }
} else {
  require('../out/cli.js');
}
