/**
 * The reads of the loop (reconciler.ts), answered as data: a fault about one object is raised
 * and what was known of it kept (settle); a lost connection is thrown for the loop.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { isUuid } from "../../config/values.js";
import { isLocalUri } from "./connection-uri.js";
import type { Faults } from "./faults.js";
import { parseDnsmasqLeases, parseLeaseStatus, parseVirshLeases } from "./leases.js";
import { portKey, type NetworkState } from "./libvirt-view.js";
import { LibvirtReplyError, parseDomainXml, parseNetworkXml, parsePortXml } from "./libvirt-xml.js";
import type { DomainInfo } from "./libvirt-xml.js";
import type { LibvirtSourceOptions } from "./libvirt-source.js";
import { virshArg, type VirshReply } from "./virsh-framing.js";
import type { VirshSession } from "./virsh-session.js";

/** What a read needs: the source's options, its virsh and its faults. */
export type ReadContext = Pick<LibvirtSourceOptions, "uri" | "networks" | "baseDir"> & {
  readonly session: Pick<VirshSession, "run" | "runAll" | "abort">;
  readonly faults: Faults;
};

/** A domain to read: by its UUID, or by its name (a shorter command: see runAll). */
export interface DomainRef {
  readonly uuid?: string;
  readonly name?: string;
}

/** A read about one object (a domain, a network, its leases or ports) failed: bad reply or XML. */
export const KEPT = Symbol("kept");

// The wording of virsh 9 and of older and newer releases for an object that does not exist.
const NO_DOMAIN = /failed to get domain|domain not found|no domain with matching/i;
const NO_NETWORK = /failed to get network|network not found|no network with matching/i;
const UNSUPPORTED = /not supported/i;
// virsh reports a lost connection as a command's error: it says nothing about what it named.
const UNREACHABLE =
  /reconnect to the hypervisor|failed to connect|client socket is closed|cannot recv data|end of file while reading|no connection driver/i;

/** A reply's output; undefined when an error says its object is `absent`; throws otherwise. */
function output({ errors, output }: VirshReply, command: string, ...absent: RegExp[]) {
  if (errors.length === 0) return output;
  const message = `"${command}": ${errors.join("; ")}`;
  if (errors.some((e) => UNREACHABLE.test(e))) throw new Error(message);
  if (absent.some((re) => errors.some((e) => re.test(e)))) return undefined;
  throw new LibvirtReplyError(message);
}

/** Runs `command`; what it says is told by output() when called (within settle). */
async function ask(ctx: ReadContext, command: string, ...absent: RegExp[]) {
  const reply = await ctx.session.run(command);
  return () => output(reply, command, ...absent);
}

/** An object's fault key (none: no fault) and its name in messages. */
type Subject = readonly [key: string | undefined, what: string];
type Text = () => string | undefined;

/** One object's read: `text` parsed (undefined: absent), `key` cleared; or KEPT, `key` raised. */
function settle<T>(ctx: ReadContext, [key, what]: Subject, text: Text, parse: (s: string) => T) {
  try {
    const found = text();
    const result = found === undefined ? undefined : parse(found);
    if (key !== undefined) ctx.faults.clear(key);
    return result;
  } catch (error) {
    if (!(error instanceof LibvirtReplyError)) throw error;
    if (key !== undefined) ctx.faults.raise(key, `${what} on ${ctx.uri}: ${error.message}`);
    return KEPT;
  }
}

/** The running domains, from "UUID NAME" lines. */
export async function runningDomains(ctx: ReadContext): Promise<Array<Required<DomainRef>>> {
  return ((await ask(ctx, "list --uuid --name"))() ?? "").split("\n").flatMap((line) => {
    const [uuid = "", ...name] = line.trim().split(" ");
    return isUuid(uuid) ? [{ uuid, name: name.join(" ") }] : [];
  });
}

type DomainRead = readonly [DomainRef, DomainInfo | undefined | typeof KEPT];

/** Domains sent to virsh as one runAll (one pair of markers); a batch is several at once. */
const CHUNK = 32;

/**
 * Reads domains as one batch; returns what to apply, in order. A running domain cannot be
 * renamed: a name that finds no domain or another one means the domain named stopped (its events
 * tell if it runs again, renamed). Faults are keyed by UUID, so that any later good read clears
 * them: a read by a name not known yet raises none (the caller lists the domains).
 */
export async function readDomains(ctx: ReadContext, refs: readonly DomainRef[]) {
  const chunks: Array<Promise<DomainRead[]>> = [];
  for (let i = 0; i < refs.length; i += CHUNK)
    chunks.push(readChunk(ctx, refs.slice(i, i + CHUNK)));
  return (await Promise.all(chunks)).flat();
}

async function readChunk(ctx: ReadContext, refs: readonly DomainRef[]): Promise<DomainRead[]> {
  const commands = refs.map(({ uuid, name = "" }) => {
    const arg = virshArg(name) ?? uuid;
    return arg && `dumpxml ${arg}`;
  });
  const replies = await ctx.session.runAll(commands.filter((c) => c !== undefined));
  let next = 0;
  return refs.map((ref, i): DomainRead => {
    const command = commands[i];
    if (command === undefined) return [ref, KEPT];
    const reply = replies[next++]!;
    const subject = [ref.uuid && `domain:${ref.uuid}`, `domain ${ref.uuid}`] as const;
    const info = settle(ctx, subject, () => output(reply, command, NO_DOMAIN), parseDomainXml);
    if (typeof info === "object") ctx.faults.clear(`domain:${info.uuid}`);
    return [ref, info];
  });
}

/** Every configured network that exists, with its leases (libvirt's and the lease files'). */
export async function readNetworks(ctx: ReadContext, previous: ReadonlyMap<string, NetworkState>) {
  const states = await Promise.all(ctx.networks.map((n) => readNetwork(ctx, n, previous.get(n))));
  const next = new Map<string, NetworkState>();
  states.forEach((state, i) => state && next.set(ctx.networks[i]!, state));
  const none = `none of the networks ${ctx.networks.join(", ")} exists on ${ctx.uri}`;
  if (next.size > 0 || ctx.networks.length === 0) ctx.faults.clear("networks");
  else ctx.faults.raise("networks", `${none}: no guest can be identified`);
  return next;
}

async function readNetwork(ctx: ReadContext, name: string, previous: NetworkState | undefined) {
  const ref = virshArg(name);
  if (ref === undefined) return undefined;
  const [xml, table] = await Promise.all([
    ask(ctx, `net-dumpxml ${ref}`, NO_NETWORK),
    // None from a driver that keeps none (the test driver): reservations and lease files then.
    ask(ctx, `net-dhcp-leases ${ref}`, UNSUPPORTED, NO_NETWORK),
  ]);
  const info = settle(ctx, [`network:${name}`, `network ${name}`], xml, parseNetworkXml);
  const leases = settle(ctx, [`leases:${name}`, `leases of ${name}`], table, parseVirshLeases);
  if (info === KEPT) return previous;
  // Missing on one of several hosts is normal; missing everywhere is the "networks" fault.
  const missing = `network ${name} not found on ${ctx.uri}`;
  if (info === undefined) return void ctx.faults.raise(`network:${name}`, missing, false);
  const known = leases === KEPT ? (previous?.leases ?? []) : (leases ?? []);
  return { info, leases: known, fileLeases: await readLeaseFiles(ctx, name, info.bridge) };
}

/** dnsmasq's <net>.leases and libvirt's <bridge>.status in base_dir; a missing file: none. */
async function readLeaseFiles(ctx: ReadContext, network: string, bridge: string | undefined) {
  if (!isLocalUri(ctx.uri)) return [];
  // Names come from the config and from libvirt; neither may lead out of base_dir.
  const names = [`${network}.leases`, ...(bridge === undefined ? [] : [`${bridge}.status`])];
  const safe = names.filter((name) => !name.includes("/") && !name.startsWith("."));
  const found = safe.map(async (name) => {
    const file = join(ctx.baseDir, name);
    try {
      const text = await readFile(file, "utf8").catch((e: NodeJS.ErrnoException) =>
        e.code === "ENOENT" ? "" : Promise.reject(e),
      );
      const leases = name.endsWith(".status") ? parseLeaseStatus(text) : parseDnsmasqLeases(text);
      ctx.faults.clear(`lease-file:${file}`);
      return leases;
    } catch (error) {
      const message = `lease file ${file}: ${(error as Error).message}`;
      ctx.faults.raise(`lease-file:${file}`, message, false);
      return [];
    }
  });
  return (await Promise.all(found)).flat();
}

/** Owners' UUIDs by `portKey` (libvirt's ports); null: the driver has none; undefined: failed. */
export async function readPorts(ctx: ReadContext, networks: Iterable<string>) {
  const ports = new Map<string, string[]>();
  for (const name of networks) {
    const ref = virshArg(name) ?? "";
    const command = `net-port-list ${ref} --uuid`;
    const list = await ctx.session.run(command);
    const ids = list.output.split(/\s+/).filter(isUuid);
    const each = await Promise.all(ids.map((id) => ask(ctx, `net-port-dumpxml ${ref} ${id}`)));
    const listed = () => output(list, command, UNSUPPORTED, NO_NETWORK);
    const found = settle(ctx, [`ports:${name}`, `ports of ${name}`], listed, () =>
      each.map((port) => parsePortXml(port() ?? "")),
    );
    if (found === KEPT) return undefined;
    if (found === undefined) return null;
    for (const { mac, owner } of found)
      ports.set(portKey(name, mac), [...(ports.get(portKey(name, mac)) ?? []), owner]);
  }
  return ports;
}
