/**
 * The bounds a template runs within, so that no template (and no value) can make the server
 * allocate without limit or loop for ever. Python itself has none of these; a template that
 * stays far inside them renders exactly as under bottle.
 */

/** Largest rendering, and largest string, list or dict a template may build (characters or items). */
export const MAX_SIZE = 1024 * 1024;

/** Work units per rendering: loop iterations, items visited by len/sorted/join/comparisons/repr… */
export const MAX_STEPS = 1_000_000;

/** Largest integer magnitude (Python's ints are unbounded; 2**256 is plenty for templates). */
export const MAX_INT = 2n ** 256n;

/** Deepest nesting of expressions, blocks, and of lists inside lists when printed or compared. */
export const MAX_DEPTH = 100;
