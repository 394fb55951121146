#!/usr/bin/env node
// tuf-client.mjs - the npm TUF client tuf-js against a repository (tests only).
//
//   node tuf-client.mjs --metadata URL --targets URL --dir DIR [--root FILE]
//                       [--target PATH --out FILE]
//
// DIR keeps the client's trusted metadata between runs (as a device would);
// --root seeds DIR/root.json when DIR has none (the initial root.json
// shipped with the device). Refreshes the metadata (timestamp, snapshot,
// targets, delegations, new roots), then downloads PATH to FILE when given.
// Prints "ok ..." and exits 0, or "refused: ERRORNAME: message" and exits 1.
import fs from 'node:fs';
import path from 'node:path';
import { Updater } from 'tuf-js';

const args = {};
for (let i = 2; i < process.argv.length; i += 2) {
  args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
}
if (!args.metadata || !args.targets || !args.dir) {
  console.error('usage: tuf-client.mjs --metadata URL --targets URL --dir DIR [--root FILE] [--target PATH --out FILE]');
  process.exit(2);
}

const metaDir = path.join(args.dir, 'metadata');
const targetDir = path.join(args.dir, 'targets');
fs.mkdirSync(metaDir, { recursive: true });
fs.mkdirSync(targetDir, { recursive: true });
if (!fs.existsSync(path.join(metaDir, 'root.json'))) {
  if (!args.root) {
    console.error('no trusted root.json in ' + metaDir + ' and no --root');
    process.exit(2);
  }
  fs.copyFileSync(args.root, path.join(metaDir, 'root.json'));
}

const updater = new Updater({
  metadataDir: metaDir,
  metadataBaseUrl: args.metadata,
  targetDir,
  targetBaseUrl: args.targets,
  config: { fetchRetries: 0, fetchTimeout: 10000 },
});

try {
  await updater.refresh();
  const root = JSON.parse(fs.readFileSync(path.join(metaDir, 'root.json'), 'utf8'));
  if (!args.target) {
    console.log(`ok refreshed root v${root.signed.version}`);
    process.exit(0);
  }
  const info = await updater.getTargetInfo(args.target);
  if (!info) {
    console.log(`refused: NotFound: no target ${args.target}`);
    process.exit(1);
  }
  const file = await updater.downloadTarget(info, args.out);
  console.log(`ok ${args.target} ${fs.statSync(file).size} bytes root v${root.signed.version}`);
} catch (e) {
  console.log(`refused: ${e.name || e.constructor?.name}: ${e.message}`);
  process.exit(1);
}
