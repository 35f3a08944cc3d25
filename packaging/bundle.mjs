/**
 * The program as the packages ship it, so that no node_modules ships: src/main.ts and every npm
 * package it uses bundled by esbuild into one ES module. Writes into OUTDIR:
 *   mdserver.js   the program (run by bin/mdserver, installed as /usr/bin/mdserver)
 *   package.json  {"type": "module"}, so that Node.js loads mdserver.js as the ES module it is
 *   copyright     Debian's machine-readable copyright file: mdserver and each bundled package
 *                 with its copyright holders (also the rpm's license file)
 * Usage: node packaging/bundle.mjs OUTDIR
 */
import { build } from "esbuild";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = fileURLToPath(new URL("..", import.meta.url));

// The Expat ("MIT") license every bundled package is under; a package whose license file says
// anything else stops the build rather than being misdescribed.
const EXPAT = `Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.`;

const out = process.argv[2];
if (!out) throw new Error("usage: node packaging/bundle.mjs OUTDIR");
mkdirSync(out, { recursive: true });
const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8"));

const result = await build({
  absWorkingDir: REPO, // metafile paths are relative to it
  entryPoints: [join(REPO, "src/main.ts")],
  outfile: join(out, "mdserver.js"),
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  // Readable stack traces in bug reports matter more than the few hundred kB minifying saves.
  minify: false,
  legalComments: "none",
  metafile: true,
  logLevel: "warning",
  define: { MDSERVER_BUNDLED_VERSION: JSON.stringify(pkg.version) },
  // CommonJS packages (pino) require() Node's own modules, which an ES module has no require for.
  banner: {
    js: 'import { createRequire as mdserverCreateRequire } from "node:module";\nconst require = mdserverCreateRequire(import.meta.url);',
  },
});
writeFileSync(join(out, "package.json"), '{ "type": "module" }\n');
writeFileSync(join(out, "copyright"), copyright(bundledPackages(result.metafile)));

/** The npm packages (name → directory) esbuild took code from. */
function bundledPackages(metafile) {
  const found = new Map();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(input);
    if (match) found.set(match[2], join(REPO, match[1]));
  }
  return [...found].sort(([a], [b]) => a.localeCompare(b));
}

function copyright(packages) {
  const paragraphs = [
    `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: mdserver
Comment: /usr/lib/mdserver/mdserver.js holds mdserver and, bundled into it by esbuild, the npm
 packages listed below (their versions are those of mdserver's package-lock.json).`,
    `Files: *
Copyright: the mdserver contributors
License: Expat`,
  ];
  for (const [name, dir] of packages) {
    const meta = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    if (meta.license !== "MIT") throw new Error(`${name}: license "${meta.license}", not MIT`);
    paragraphs.push(`Files: node_modules/${name}/*
Copyright: ${holders(name, dir, meta).join("\n ")}
License: Expat
Comment: ${name} ${meta.version}`);
  }
  paragraphs.push(`License: Expat\n${EXPAT.replace(/^$/gm, ".").replace(/^/gm, " ")}`);
  return `${paragraphs.join("\n\n")}\n`;
}

/** Who holds the copyright: the license file's "Copyright" lines, else package.json's author. */
function holders(name, dir, meta) {
  const author = typeof meta.author === "string" ? meta.author : meta.author?.name;
  const file = readdirSync(dir).find((f) => /^licen[cs]e(\.(md|txt))?$/i.test(f));
  if (file === undefined) {
    if (!author) throw new Error(`${name}: no license file and no author`);
    return [author];
  }
  const text = readFileSync(join(dir, file), "utf8");
  if (!normalised(text).includes(normalised(EXPAT))) {
    throw new Error(`${name}: ${file} is not the Expat (MIT) license text`);
  }
  // The notice runs from its "Copyright" line to the next blank line.
  const notice = /^\s*Copyright[^\n]*(\n[^\n]+)*/im.exec(text);
  const lines = (notice?.[0] ?? "")
    .trim()
    .replace(/^Copyright\s*(\(c\)|©)?\s*/i, "")
    .split(/\n\s*/);
  // "Copyright (c) 2024" and no name: the name is package.json's author.
  if (/[a-z]/i.test(lines.join(""))) return lines;
  if (!author) throw new Error(`${name}: ${file} names no copyright holder, nor does package.json`);
  return [`${lines.join(" ")} ${author}`.trim()];
}

function normalised(text) {
  return text.replace(/\s+/g, " ").trim();
}
