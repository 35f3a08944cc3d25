import { basename } from "node:path";

/**
 * Something is where a guest's user-data file is looked for, but cannot be served (a FIFO, a
 * directory, a device, a dangling link or one leading out of the allowed directories), or
 * userdata_dir itself is gone. The guest gets a 500 naming only the file's name; the log has
 * the path and the problem.
 */
export class UserdataFileError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file} ${problem}`);
    this.name = "UserdataFileError";
  }

  /** What the guest may see: the file's name, not where it is or what it points at. */
  forGuest(): string {
    return `${basename(this.file)} cannot be served`;
  }
}
