/**
 * Whether a commit message can serve as a task statement. A message that says nothing about the
 * change (a bare "wip", a version bump) would measure luck, not the model, so such commits are
 * left out and counted by reason.
 */
export type MessageSkip = 'message-too-short' | 'work-in-progress' | 'version-bump' | 'fixup';

const WIP = /^(?:wip|work in progress|tmp|temp|todo|checkpoint|save|stuff|changes|update|updates|misc|minor|fix|fixes|typo|cleanup|\.+)\b[\s.!:-]*$/i;
const WIP_PREFIX = /^(?:\[?wip\]?|draft)[\s:!-]/i;
const FIXUP = /^(?:fixup|squash|amend)!/i;
// "Bump version to 1.2.3", "v1.2.3", "Release 2.0.0", "chore(release): 1.4.0", "1.2.3", "Prepare 0.9 release"
const VERSION = /\bv?\d+\.\d+(?:\.\d+)?(?:[-+][\w.]+)?\b/;
const BUMP = /^(?:(?:chore|build|release)(?:\([^)]*\))?:\s*)?(?:bump(?:ed)?|release[sd]?|version|prepare|tag(?:ged)?|v?\d+\.\d+)/i;

export function messageSkip(message: string, minChars: number): MessageSkip | undefined {
  const text = message.trim();
  const subject = text.split('\n', 1)[0].trim();
  if (FIXUP.test(subject)) return 'fixup';
  if (WIP.test(subject) && text === subject) return 'work-in-progress';
  if (WIP_PREFIX.test(subject)) return 'work-in-progress';
  if (BUMP.test(subject) && VERSION.test(subject) && subject.length <= 60) return 'version-bump';
  if (text.replace(/\s+/g, ' ').length < minChars) return 'message-too-short';
  return undefined;
}
