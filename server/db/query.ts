/** A user's search text as an `ilike` pattern matching it anywhere, with `%`, `_` and `\` taken literally. */
export function likeOf(q: string): string {
  return `%${q.replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
}
