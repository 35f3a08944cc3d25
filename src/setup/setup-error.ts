/** A domain or network that a set-up cannot be applied to; the message says why and what to do. */
export class SetupError extends Error {
  override readonly name = "SetupError";
}
