/** The export's reasons for leaving a trajectory out, in the words the panel and the Export Dataset command show. */
export const REMOVED_LABEL: Record<string, string> = {
  rejected: 'rejected by you',
  'not-accepted': 'not accepted',
  'p1-too-large': 'P1 too large (stopped after rollout 1)',
  unverified: 'failed or unscored',
  'below-threshold': 'below the threshold',
  'duplicate-sample': 'duplicate sample',
  'no-rollout': 'no rollout',
  'not-submitted': 'did not end with submit',
  'patch-lines': 'patch too long',
  'unreadable-patch': 'unreadable patch',
  'duplicate-patch': 'duplicate patch',
  'missing-trajectory': 'trajectory file missing',
  'malformed-tool-call': 'malformed tool call',
  'tool-output-length': 'tool output too long',
  'not-representable': 'not representable in the format',
  'token-budget': 'over the token budget',
};

/** "4 P1 too large (stopped after rollout 1), 2 failed or unscored": the reasons with their counts, largest first as the report orders them. */
export function removedText(removedBy: Record<string, number>, count: (n: number) => string = String): string {
  return Object.entries(removedBy)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${count(n)} ${REMOVED_LABEL[k] ?? k}`)
    .join(', ');
}

/**
 * What to do when nothing passes: accepting samples or lowering the threshold helps most runs,
 * but not one whose samples all stopped as P1 too large (they have no score): for those, the
 * P1 line limit of the next run.
 */
export function nothingPassesAdvice(removedBy: Record<string, number>): string {
  const reasons = Object.keys(removedBy).filter((k) => removedBy[k] > 0);
  if (reasons.length && reasons.every((k) => k === 'p1-too-large')) return 'Every sample stopped after rollout 1 because its P1 was over the P1 line limit: raise repoSpecializer.generation.maxP1Lines (or set it to 0) for the next run, or accept samples by hand.';
  return 'Accept samples in the curation panel or lower the threshold.';
}
