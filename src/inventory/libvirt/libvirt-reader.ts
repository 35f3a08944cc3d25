/** The virsh commands the source uses, each answered as data (or a typed error). */
import { isUuid } from "../../config/values.js";
import { parseDomainXml, type DomainInfo } from "./domain-xml.js";
import { parseVirshLeases, type Lease } from "./leases.js";
import {
  parseNetworkXml,
  parsePortXml,
  type NetworkInfo,
  type NetworkPort,
} from "./network-xml.js";
import type { VirshReply } from "./virsh-framing.js";
import { LibvirtXmlError } from "./xml-document.js";

/** libvirt answered a command with an error (the connection itself is fine). */
export class LibvirtCommandError extends Error {
  override readonly name: string = "LibvirtCommandError";
  constructor(
    readonly command: string,
    readonly errors: readonly string[],
  ) {
    super(`"${command}": ${errors.join("; ")}`);
  }
}

/**
 * libvirt could not be reached for a command: virsh reports a lost connection as the
 * command's error, and that says nothing about the domain or network it named.
 */
export class LibvirtUnreachableError extends LibvirtCommandError {
  override readonly name = "LibvirtUnreachableError";
}

/** Runs one virsh command. */
export type RunVirsh = (command: string) => Promise<VirshReply>;

// The wording of virsh 9 and of older and newer releases for an object that does not exist.
const NO_DOMAIN = /failed to get domain|domain not found|no domain with matching/i;
const NO_NETWORK = /failed to get network|network not found|no network with matching/i;
const NO_PORT = /failed to get network port|no network port with matching/i;
const UNSUPPORTED = /not supported/i;
const UNREACHABLE =
  /reconnect to the hypervisor|failed to connect|client socket is closed|cannot recv data|end of file while reading|no connection driver/i;

/** Typed answers to the few virsh commands the source needs. */
export class LibvirtReader {
  constructor(private readonly run: RunVirsh) {}

  /** UUIDs of the running domains (stopped ones are never served, so never read). */
  async runningDomains(): Promise<string[]> {
    const output = (await this.outputUnless("list --uuid")) ?? "";
    return output
      .split("\n")
      .map((line) => line.trim())
      .filter(isUuid);
  }

  /** A domain by UUID or (quoted) name; undefined when libvirt has no such domain. */
  async domain(ref: string): Promise<DomainInfo | undefined> {
    const xml = await this.outputUnless(`dumpxml ${ref}`, NO_DOMAIN);
    return xml === undefined ? undefined : parseDomainXml(xml);
  }

  /** A network by (quoted) name; undefined when libvirt has no such network. */
  async network(ref: string): Promise<NetworkInfo | undefined> {
    const xml = await this.outputUnless(`net-dumpxml ${ref}`, NO_NETWORK);
    return xml === undefined ? undefined : parseNetworkXml(xml);
  }

  /**
   * A network's current DHCP leases; undefined when the driver keeps none (the test driver)
   * or the network does not exist.
   */
  async leases(ref: string): Promise<Lease[] | undefined> {
    const table = await this.outputUnless(`net-dhcp-leases ${ref}`, UNSUPPORTED, NO_NETWORK);
    return table === undefined ? undefined : parseVirshLeases(table);
  }

  /**
   * The ports plugged into a network (which domain holds which MAC there); undefined when the
   * driver has none (the test driver, libvirt before 5.5) or the network does not exist.
   */
  async ports(ref: string): Promise<NetworkPort[] | undefined> {
    const list = await this.outputUnless(`net-port-list ${ref} --uuid`, UNSUPPORTED, NO_NETWORK);
    if (list === undefined) return undefined;
    const ids = list.split("\n").map((line) => line.trim());
    const xmls = await Promise.all(
      ids.filter(isUuid).map((id) => this.outputUnless(`net-port-dumpxml ${ref} ${id}`, NO_PORT)),
    );
    return xmls.flatMap((xml) => (xml === undefined ? [] : [parsePortXml(xml)]));
  }

  /** The command's output; undefined when its error matches `absent`; throws otherwise. */
  private async outputUnless(command: string, ...absent: RegExp[]): Promise<string | undefined> {
    const reply = await this.run(command);
    if (reply.errors.length === 0) return reply.output;
    if (reply.errors.some((e) => UNREACHABLE.test(e)))
      throw new LibvirtUnreachableError(command, reply.errors);
    if (absent.some((re) => reply.errors.some((e) => re.test(e)))) return undefined;
    throw new LibvirtCommandError(command, reply.errors);
  }
}

/** True for an error about one domain or network (bad XML, an error reply), not the connection. */
export function isAboutOneObject(error: unknown): boolean {
  if (error instanceof LibvirtUnreachableError) return false;
  return error instanceof LibvirtCommandError || error instanceof LibvirtXmlError;
}

/** An error's message, for logs and health. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
