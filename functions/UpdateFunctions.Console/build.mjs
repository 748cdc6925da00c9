// Builds the release console into dist/: one hashed script and one hashed stylesheet (long-cached), and an
// index.html naming them (short-cached). No inline script or style, so the page runs under script-src 'self'.
import { build } from "esbuild";
import { mkdir, rm, writeFile, readFile } from "node:fs/promises";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";
import { dirname, join, basename } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "dist");
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });

const result = await build({
  entryPoints: { app: join(here, "src/main.ts") },
  bundle: true,
  minify: true,
  format: "esm",
  target: ["es2022"],
  entryNames: "[name]-[hash]",
  outdir: join(out, "assets"),
  metafile: true,
  sourcemap: false,
  legalComments: "none",
  logLevel: "warning",
});

const outputs = Object.keys(result.metafile.outputs).map((p) => basename(p));
const script = outputs.find((f) => f.endsWith(".js"));
const style = outputs.find((f) => f.endsWith(".css"));
if (!script || !style) throw new Error(`esbuild produced ${outputs.join(", ")}: expected one .js and one .css`);

const template = await readFile(join(here, "src/index.html"), "utf8");
const page = template.replace("%STYLE%", `assets/${style}`).replace("%SCRIPT%", `assets/${script}`);
await writeFile(join(out, "index.html"), page);

// Served pre-compressed (brotli, gzip) when the browser accepts it: no compression work per request.
for (const file of ["index.html", `assets/${script}`, `assets/${style}`]) {
  const bytes = await readFile(join(out, file));
  await writeFile(join(out, `${file}.br`), brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  await writeFile(join(out, `${file}.gz`), gzipSync(bytes, { level: 9 }));
}
console.log(`console: dist/index.html, assets/${script}, assets/${style}`);
