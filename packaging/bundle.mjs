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

// The Expat ("MIT") license most bundled packages are under.
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

// The BSD 3-clause license (jsdiff, for guest-setup --dry-run), from its conditions on.
const BSD_3_CLAUSE = `Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are met:

1. Redistributions of source code must retain the above copyright notice, this
   list of conditions and the following disclaimer.

2. Redistributions in binary form must reproduce the above copyright notice,
   this list of conditions and the following disclaimer in the documentation
   and/or other materials provided with the distribution.

3. Neither the name of the copyright holder nor the names of its
   contributors may be used to endorse or promote products derived from
   this software without specific prior written permission.

THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"
AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.`;

// The ISC license (yaml, for the meta-data part; saxes, the libvirt XML parser), from its grant on.
const ISC = `Permission to use, copy, modify, and/or distribute this software for any purpose
with or without fee is hereby granted, provided that the above copyright notice
and this permission notice appear in all copies.

THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES WITH
REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF MERCHANTABILITY AND
FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR ANY SPECIAL, DIRECT,
INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES WHATSOEVER RESULTING FROM LOSS
OF USE, DATA OR PROFITS, WHETHER IN AN ACTION OF CONTRACT, NEGLIGENCE OR OTHER
TORTIOUS ACTION, ARISING OUT OF OR IN CONNECTION WITH THE USE OR PERFORMANCE OF
THIS SOFTWARE.`;

// The Apache License 2.0 (prom-client and @opentelemetry/api, for /metrics): the license file
// must be that license; Debian ships its text, so the copyright file points there.
const APACHE_2 = `Apache License
Version 2.0, January 2004
http://www.apache.org/licenses/`;

/**
 * The licenses a bundled package may be under: its package.json names one (SPDX), its license
 * file must hold that text, and the copyright file names it as Debian does. A package under
 * any other license stops the build rather than being misdescribed.
 */
const LICENSES = {
  MIT: { debian: "Expat", text: EXPAT },
  "BSD-3-Clause": { debian: "BSD-3-clause", text: BSD_3_CLAUSE },
  ISC: { debian: "ISC", text: ISC },
  // The license text holds no notice of its own (only the appendix's "Copyright [yyyy]"
  // template): the holders are package.json's author.
  "Apache-2.0": {
    debian: "Apache-2.0",
    text: APACHE_2,
    notice: `On Debian systems, the full text of the Apache License, Version 2.0 can be found in
/usr/share/common-licenses/Apache-2.0.`,
    holdersFromAuthor: true,
  },
};

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
  const used = new Set();
  for (const [name, dir] of packages) {
    const meta = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    const license = LICENSES[meta.license];
    if (license === undefined) {
      throw new Error(`${name}: license "${meta.license}" is not one of ${Object.keys(LICENSES)}`);
    }
    used.add(meta.license);
    paragraphs.push(`Files: node_modules/${name}/*
Copyright: ${holders(name, dir, meta, license).join("\n ")}
License: ${license.debian}
Comment: ${name} ${meta.version}`);
  }
  for (const spdx of ["MIT", ...[...used].filter((l) => l !== "MIT").sort()]) {
    const { debian, text, notice = text } = LICENSES[spdx];
    paragraphs.push(`License: ${debian}\n${notice.replace(/^$/gm, ".").replace(/^/gm, " ")}`);
  }
  return `${paragraphs.join("\n\n")}\n`;
}

/** Who holds the copyright: the license file's "Copyright" lines, else package.json's author. */
function holders(name, dir, meta, { text: licenseText, holdersFromAuthor = false }) {
  const author = typeof meta.author === "string" ? meta.author : meta.author?.name;
  const file = readdirSync(dir).find((f) => /^licen[cs]e(\.(md|txt))?$/i.test(f));
  if (file === undefined) {
    if (!author) throw new Error(`${name}: no license file and no author`);
    return [author];
  }
  const text = readFileSync(join(dir, file), "utf8");
  if (!normalised(text).includes(normalised(licenseText))) {
    throw new Error(`${name}: ${file} is not the text of its license, ${meta.license}`);
  }
  if (holdersFromAuthor) {
    if (!author) throw new Error(`${name}: package.json names no author`);
    return [author];
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
