/**
 * The test-driver fixture (test/fixtures/libvirt/node.xml) as constants, and its
 * connection URI. Guests are posed as from their reserved loopback addresses.
 */
import { fileURLToPath } from "node:url";

/** Absolute path of the fixture (tests run from build/, the fixture stays in the tree). */
export const FIXTURE_FILE = fileURLToPath(
  new URL("../../../test/fixtures/libvirt/node.xml", import.meta.url),
);

/** The URI that opens the fixture in libvirt's test driver. */
export const FIXTURE_URI = `test://${FIXTURE_FILE}`;

/** A guest of the fixture: its reserved address on its network. */
export interface FixtureGuest {
  readonly name: string;
  readonly uuid: string;
  readonly mac: string;
  readonly ip: string;
  readonly network: string;
}

function guest(name: string, n: number, uuidHead: string, network = "mds"): FixtureGuest {
  const nn = String(n).padStart(2, "0");
  return {
    name,
    uuid: `${uuidHead}-0000-4000-8000-0000000000${nn}`,
    mac: `52:54:00:00:00:${nn}`,
    ip: `127.0.0.${n}`,
    network,
  };
}

/** On mds by reservation; has a <metadata> element. */
export const ALPHA = guest("alpha", 21, "a1a1a1a1");
/** On mds by reservation; architecture aarch64. */
export const BETA = guest("beta", 22, "b2b2b2b2");
/** On the network "other" only. */
export const GAMMA = guest("gamma", 23, "c3c3c3c3", "other");
/** On mds by reservation, plus an interface on a plain bridge. */
export const DELTA = guest("delta", 24, "d4d4d4d4");
/** Shut off, with a reservation on mds: not served. */
export const EPSILON = guest("epsilon", 25, "e5e5e5e5");
/** On mds without reservation: no address unless a lease file gives it one. */
export const ZETA = { ...guest("zeta", 26, "f6f6f6f6"), ip: undefined };
/** twin-a and twin-b share MAC :27 and its reserved address 127.0.0.27. */
export const TWIN_IP = "127.0.0.27";

/** The number of domains in the fixture. */
export const FIXTURE_DOMAINS = 8;
