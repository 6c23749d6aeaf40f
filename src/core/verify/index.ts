export { parseUnifiedDiff, normalizeLineEnds, PatchParseError, type PatchFile, type PatchHunk } from './parse';
export { changedLines, isBlankText, type ChangedLine } from './changed-lines';
export { scoreOverlap, scoreKeys, passesThreshold, type OverlapScore } from './overlap';
