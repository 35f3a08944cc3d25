/**
 * V8 heap settings, applied before anything else (main.ts imports this module first), so
 * every way of running mdserver (bin/mdserver, the systemd unit, `node build/src/main.js`)
 * gets them. V8's defaults suit short bursts of work: a heap several times what is live and
 * a young generation of up to 16 MB per half. A long-running server on a large host pays for
 * that in resident memory: with 10,000 domains, after every guest fetched its meta-data and
 * user-data once, the heap held ~50 MB live in ~200 MB (RSS 250-330 MB), freed only when V8
 * next chose to collect. `--optimize-for-size` keeps the young generation small;
 * `--heap-growing-percent=25` lets the old one grow a quarter past what was live at the last
 * full collection. Measured: RSS ~140 MB there (`npm run bench -- libvirt-memory`), at a
 * cost in request throughput reported with `npm run bench -- http-throughput`.
 */
import { setFlagsFromString } from "node:v8";

setFlagsFromString("--optimize-for-size");
setFlagsFromString("--heap-growing-percent=25");
