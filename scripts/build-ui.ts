/**
 * Builds the page from `src/ui/` into `dist/ui/` (index.html, app.js, app.css, icon.svg) with esbuild:
 * one minified ES module and one style sheet, nothing fetched at run time. Run by `npm run build` and by
 * the test run's global setup; each file is written to a temporary name and renamed, so a server reading
 * the folder never sees half a file.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SOURCE = path.join(ROOT, "src", "ui");

/** Where the built page goes by default (the server looks there). */
export const UI_OUT_DIR = path.join(ROOT, "dist", "ui");

function writeAtomic(file: string, contents: Uint8Array | string): void {
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(temp, contents);
  fs.renameSync(temp, file);
}

/** Bundles the page into `outDir` (default `dist/ui/`); returns the files written with their sizes. */
export async function buildUi(outDir: string = UI_OUT_DIR): Promise<Record<string, number>> {
  const result = await build({
    entryPoints: { app: path.join(SOURCE, "main.ts"), "app-style": path.join(SOURCE, "styles.css") },
    bundle: true,
    format: "esm",
    target: ["es2022", "chrome110", "firefox115", "safari16"],
    minify: true,
    legalComments: "none",
    charset: "utf8",
    write: false,
    outdir: outDir,
    logLevel: "silent",
  });
  fs.mkdirSync(outDir, { recursive: true });
  const sizes: Record<string, number> = {};
  for (const file of result.outputFiles) {
    const name = path.basename(file.path) === "app-style.css" ? "app.css" : path.basename(file.path);
    writeAtomic(path.join(outDir, name), file.contents);
    sizes[name] = file.contents.byteLength;
  }
  for (const name of ["index.html", "icon.svg"]) {
    const contents = fs.readFileSync(path.join(SOURCE, name));
    writeAtomic(path.join(outDir, name), contents);
    sizes[name] = contents.byteLength;
  }
  return sizes;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const sizes = await buildUi(process.argv[2] ?? UI_OUT_DIR);
  const list = Object.entries(sizes)
    .map(([name, size]) => `${name} ${(size / 1024).toFixed(1)} KiB`)
    .join(", ");
  console.log(`ui built: ${list}`);
}
