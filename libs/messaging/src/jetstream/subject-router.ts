/**
 * Finds the handler pattern for a message subject: an exact match, else the longest pattern that is a
 * dot-separated prefix of the subject, so `sync.portal-work.v1.<portal>` reaches the handler of
 * `sync.portal-work.v1`. Patterns are plain subjects (no wildcards).
 */
export function matchSubjectPattern(subject: string, patterns: Iterable<string>): string | undefined {
  let best: string | undefined;
  for (const pattern of patterns) {
    if (pattern === subject) return pattern;
    if (subject.startsWith(`${pattern}.`) && (best === undefined || pattern.length > best.length)) best = pattern;
  }
  return best;
}
