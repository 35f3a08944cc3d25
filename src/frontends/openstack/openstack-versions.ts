/**
 * The OpenStack metadata API versions served, and which documents each has, as Nova serves
 * them: cloud-init reads the listing and picks the newest version it knows (2018-08-27 in 22.4).
 */

/** Dated versions, oldest first ("latest" follows them in the listing). */
export const OPENSTACK_VERSIONS = [
  "2012-08-10",
  "2013-04-04",
  "2013-10-17",
  "2015-10-15",
  "2016-06-30",
  "2016-10-06",
  "2017-02-22",
  "2018-08-27",
] as const;

/** The version that added a document (meta_data.json and user_data are in every one). */
const ADDED_IN: Readonly<Record<string, string>> = {
  "vendor_data.json": "2013-10-17",
  "network_data.json": "2015-10-15",
  "vendor_data2.json": "2016-10-06",
};

/** True when `version` has `document`. */
export function hasDocument(version: string, document: string): boolean {
  const added = ADDED_IN[document];
  return added === undefined || version === "latest" || version >= added;
}
