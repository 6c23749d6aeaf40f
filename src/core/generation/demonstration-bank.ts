/**
 * Built-in demonstration issues: examples of *style* for the synthetic PR text, each about an
 * invented project so none of their content can leak into a sample. Varied on purpose: terse,
 * detailed, traceback-first, user-facing, maintainer's note, feature request.
 */
export interface Demonstration {
  id: string;
  style: string;
  text: string;
}

export const BUILTIN_DEMONSTRATIONS: Demonstration[] = [
  {
    id: 'terse-bug',
    style: 'terse bug report',
    text: `Title: merge_intervals drops the last interval when the input is unsorted

Calling \`merge_intervals([(5, 7), (1, 3), (2, 4)])\` returns \`[(1, 4)]\`. I expected \`[(1, 4), (5, 7)]\`.
With sorted input it works. Seen on 2.3.1.`,
  },
  {
    id: 'detailed-repro',
    style: 'detailed report with steps to reproduce',
    text: `Title: Exporting a report twice in one session writes an empty file the second time

**What happens**
The first export of a report works. If I export the same report again without restarting, the second file is created but has a header row only.

**Steps to reproduce**
1. Start the service with the sample configuration.
2. Create a report with at least one row and export it to \`a.csv\`.
3. Export it again to \`b.csv\`.
4. \`b.csv\` has the header and no rows.

**Expected**
Both files have the same content.

**Environment**
Linux, version 4.2.0, default settings.`,
  },
  {
    id: 'traceback-first',
    style: 'traceback first, few words',
    text: `Title: KeyError in the cache layer when a key expires during a read

\`\`\`
Traceback (most recent call last):
  File "worker.py", line 88, in handle
    value = cache.get_or_load(key, loader)
  File "cache.py", line 141, in get_or_load
    return self._entries[key].value
KeyError: 'session:42'
\`\`\`

Happens a few times an hour under load. Looks like the entry can disappear between the expiry check and the lookup.`,
  },
  {
    id: 'user-facing',
    style: 'user-facing complaint, no code',
    text: `Title: Error message about the config file is not helpful

When my settings file has a typo, the tool stops with "invalid configuration" and nothing else. It does not say which file, which line or which setting is wrong, so I had to delete settings one by one to find it. Could the message say what is wrong and where?`,
  },
  {
    id: 'maintainer-note',
    style: "maintainer's short note",
    text: `Title: parse_duration is inconsistent with the docs for bare numbers

The docs say a bare number is seconds, but \`parse_duration("90")\` currently gives 90 minutes. Callers in the scheduler pass bare numbers and expect seconds. We should pick the documented behaviour.`,
  },
  {
    id: 'performance',
    style: 'performance report with numbers',
    text: `Title: Listing a folder with many entries is very slow

Listing a folder with 20,000 entries takes about 40 seconds; with 2,000 it takes under a second, so the growth looks quadratic. Profiling shows most of the time inside the code that checks names for duplicates.

To reproduce: create a folder with 20,000 empty files and run the list command on it.`,
  },
  {
    id: 'edge-case',
    style: 'edge case found while reading code',
    text: `Title: Pagination returns a duplicate item when the page size equals the total

If there are exactly 10 items and I request pages of 10, page 1 has all 10 items and page 2 is not empty: it contains the last item again. With 11 items everything is fine.

Example: \`paginate(items, page=2, size=10)\` with 10 items returns one item instead of none.`,
  },
  {
    id: 'refactor-request',
    style: 'refactoring request',
    text: `Title: The request validation code is hard to follow

\`validate_request\` has grown to handle headers, query parameters and the body in one long function with flags that change its behaviour halfway through. Adding a new check means reading all of it. It would be easier to maintain if each part were checked by its own helper, with the same results as today.`,
  },
  {
    id: 'docs-request',
    style: 'documentation gap',
    text: `Title: Undocumented behaviour of retry settings

The retry helper accepts \`attempts\` and \`backoff\`, but nothing says whether \`attempts\` includes the first try, what unit \`backoff\` is in, or which errors are retried. I had to read the code to find out. Please document it where the function is defined.`,
  },
  {
    id: 'feature-request',
    style: 'small feature request',
    text: `Title: Allow a custom separator when joining tags

Tags are always joined with ", ". Our exports need ";" instead, and today we post-process the output. An optional separator argument with the current default would cover it.`,
  },
  {
    id: 'regression',
    style: 'regression report',
    text: `Title: Regression: timestamps without a timezone are now rejected

Since the last release, importing a file with timestamps like \`2024-03-01 10:00:00\` fails with "invalid timestamp". The previous release treated them as UTC. Files with an explicit offset still work.`,
  },
  {
    id: 'security-report',
    style: 'security concern',
    text: `Title: Download endpoint follows "../" in file names

Requesting \`/download?name=../../settings.ini\` returns the settings file from outside the downloads folder. Any user who can reach the endpoint can read files the service can read.`,
  },
];
