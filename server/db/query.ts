/** A user's search text as an `ilike` pattern matching it anywhere, with `%`, `_` and `\` taken literally. */
export function likeOf(q: string): string {
  return `%${escapeLike(q)}%`;
}

/** A user's text with `%`, `_` and `\` taken literally in a `like` pattern (to build one, e.g. a prefix: `${escapeLike(s)}%`). */
export function escapeLike(s: string): string {
  return s.replace(/[%_\\]/g, (m) => `\\${m}`);
}
