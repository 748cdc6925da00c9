// The CodePush CLI's content hash of a folder, written independently of the server: every file as
// "relative/path:sha256hex", sorted, JSON.stringify'd, SHA-256 hex. stdout: the hash of the folder in argv[2].
"use strict";

const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

function files(directory) {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    return entry.isDirectory() ? files(full) : [full];
  });
}

const root = process.argv[2];
const entries = files(root)
  .map((file) => path.relative(root, file).replace(/\\/g, "/"))
  .filter((name) => !name.startsWith("__MACOSX/") && name !== ".DS_Store" && !name.endsWith("/.DS_Store"))
  .map((name) => name + ":" + crypto.createHash("sha256").update(fs.readFileSync(path.join(root, name))).digest("hex"))
  .sort();
process.stdout.write(crypto.createHash("sha256").update(JSON.stringify(entries)).digest("hex"));
