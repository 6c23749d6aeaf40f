/**
 * Vague rollout-1 instructions. Each names the start function and its file and leaves the agent
 * to find what, if anything, is wrong in or around it. Placeholders: {{function}} (the name as
 * written in the code), {{qualifiedName}}, {{file}}, {{language}}, {{neighbours}} (a sentence
 * naming call-graph neighbours, or empty).
 */
export interface InstructionTemplate {
  id: string;
  area: string;
  /** true for changes that are not bug fixes (refactors, docs, logging ...). */
  nonBug?: boolean;
  text: string;
}

const SCOPE = 'The change may belong in `{{qualifiedName}}` itself or in code it calls or that calls it.';

export const BUILTIN_INSTRUCTIONS: InstructionTemplate[] = [
  // Input validation
  { id: 'validation-args', area: 'validation', text: `Someone reported that \`{{function}}\` in {{file}} accepts arguments it should refuse, which leads to confusing failures further on. Find out which inputs are not checked and make the code reject them clearly. ${SCOPE} {{neighbours}}` },
  { id: 'validation-types', area: 'validation', text: `Values of an unexpected type seem to slip through \`{{function}}\` ({{file}}) and only blow up much later. Track down where the type assumption is made and handle it properly. ${SCOPE} {{neighbours}}` },
  { id: 'validation-empty', area: 'validation', text: `Empty inputs (an empty string, an empty collection, a missing value) may not be handled well by \`{{function}}\` in {{file}}. Investigate what happens in that case and make the behaviour sensible. ${SCOPE} {{neighbours}}` },
  { id: 'validation-config', area: 'validation', text: `A misconfiguration that reaches \`{{function}}\` in {{file}} is not reported helpfully. Look at how its settings or options are checked and improve the handling of bad values. ${SCOPE} {{neighbours}}` },
  // Error handling
  { id: 'errors-swallowed', area: 'error handling', text: `Errors around \`{{function}}\` in {{file}} may be swallowed or turned into misleading results. Review how failures are detected and propagated there, and fix what you find. ${SCOPE} {{neighbours}}` },
  { id: 'errors-messages', area: 'error handling', text: `Users hitting a failure in \`{{function}}\` ({{file}}) get an error that does not say what went wrong. Find the failure paths and make them raise or return errors that explain the problem. ${SCOPE} {{neighbours}}` },
  { id: 'errors-partial', area: 'error handling', text: `When something fails halfway through \`{{function}}\` in {{file}}, the program may be left in an inconsistent state. Examine the failure paths and make them leave things consistent. ${SCOPE} {{neighbours}}` },
  { id: 'errors-retry', area: 'error handling', text: `Transient failures seen by \`{{function}}\` in {{file}} appear to be treated as fatal, or fatal ones as transient. Check how the code distinguishes them and correct it if needed. ${SCOPE} {{neighbours}}` },
  // Resource cleanup
  { id: 'resources-leak', area: 'resource cleanup', text: `There are hints of a resource leak (files, sockets, handles, locks or temporary data) involving \`{{function}}\` in {{file}}. Find where something is acquired without being released on every path and fix it. ${SCOPE} {{neighbours}}` },
  { id: 'resources-early-exit', area: 'resource cleanup', text: `An early return or exception in or around \`{{function}}\` ({{file}}) may skip cleanup work. Make sure every exit path cleans up. ${SCOPE} {{neighbours}}` },
  { id: 'resources-unbounded', area: 'resource cleanup', text: `Memory or other resources used by \`{{function}}\` in {{file}} may grow without bound over a long-running process. Investigate and put a sensible limit or release in place. ${SCOPE} {{neighbours}}` },
  // State
  { id: 'state-stale', area: 'state', text: `Something in or around \`{{function}}\` ({{file}}) appears to keep stale state between calls, so a second call can behave differently from the first. Find the cause and fix it. ${SCOPE} {{neighbours}}` },
  { id: 'state-mutation', area: 'state', text: `\`{{function}}\` in {{file}} may modify data that its caller still relies on, such as an argument, a shared default or a cached object. Check for unintended mutation and remove it. ${SCOPE} {{neighbours}}` },
  { id: 'state-ordering', area: 'state', text: `The result of \`{{function}}\` in {{file}} seems to depend on the order in which things were set up or called before it. Find the hidden ordering dependency and make the behaviour predictable. ${SCOPE} {{neighbours}}` },
  // Concurrency
  { id: 'concurrency-race', area: 'concurrency', text: `Under concurrent use, \`{{function}}\` in {{file}} may race with other code touching the same data. Look for shared state accessed without proper coordination and fix it. ${SCOPE} {{neighbours}}` },
  { id: 'concurrency-async', area: 'concurrency', text: `Asynchronous or callback code around \`{{function}}\` ({{file}}) might not wait for work to finish, or might run it twice. Check the control flow and correct it. ${SCOPE} {{neighbours}}` },
  { id: 'concurrency-deadlock', area: 'concurrency', text: `There are reports of hangs that may involve \`{{function}}\` in {{file}}. Investigate blocking calls, locks and waits on the paths through it and fix what could stall. ${SCOPE} {{neighbours}}` },
  // Performance
  { id: 'performance-repeated', area: 'performance', text: `\`{{function}}\` in {{file}} is slower than it needs to be, possibly because it repeats work it could do once. Find the inefficiency and improve it without changing behaviour. ${SCOPE} {{neighbours}}` },
  { id: 'performance-complexity', area: 'performance', text: `With large inputs, \`{{function}}\` ({{file}}) scales badly. Find the part with poor complexity and make it scale better while keeping results identical. ${SCOPE} {{neighbours}}` },
  { id: 'performance-io', area: 'performance', text: `Input/output or expensive calls made on behalf of \`{{function}}\` in {{file}} may be more frequent than necessary. Reduce the unnecessary work. ${SCOPE} {{neighbours}}` },
  // API contract
  { id: 'contract-return', area: 'API contract', text: `What \`{{function}}\` in {{file}} returns does not always match what its callers or its documentation expect. Find the mismatch and make the contract hold. ${SCOPE} {{neighbours}}` },
  { id: 'contract-docs-vs-code', area: 'API contract', text: `The documented behaviour of \`{{function}}\` ({{file}}) and its actual behaviour seem to differ. Work out which one is right from how the code is used, and fix the other. ${SCOPE} {{neighbours}}` },
  { id: 'contract-callers', area: 'API contract', text: `Some callers of \`{{function}}\` in {{file}} may be using it in a way it does not support. Check the call sites against what the function guarantees and fix the wrong side. ${SCOPE} {{neighbours}}` },
  { id: 'contract-optional', area: 'API contract', text: `Optional parameters or default values of \`{{function}}\` in {{file}} may not behave as a caller would expect. Review the defaults and how missing values are handled. ${SCOPE} {{neighbours}}` },
  // Boundary cases
  { id: 'boundary-off-by-one', area: 'boundary cases', text: `There may be an off-by-one or boundary mistake in or near \`{{function}}\` in {{file}}: first or last elements, inclusive or exclusive limits. Find it and fix it. ${SCOPE} {{neighbours}}` },
  { id: 'boundary-extremes', area: 'boundary cases', text: `Very large, very small, zero or negative values may make \`{{function}}\` ({{file}}) misbehave. Check how extremes are handled and make them safe. ${SCOPE} {{neighbours}}` },
  { id: 'boundary-unicode', area: 'boundary cases', text: `Text handling in or around \`{{function}}\` in {{file}} may break on non-ASCII characters, unusual whitespace or line endings. Investigate and fix the handling. ${SCOPE} {{neighbours}}` },
  { id: 'boundary-time', area: 'boundary cases', text: `Dates, times, durations or time zones processed by code around \`{{function}}\` ({{file}}) may be handled incorrectly at the edges. Look for such a problem and correct it if it exists. ${SCOPE} {{neighbours}}` },
  // Security
  { id: 'security-injection', area: 'security', text: `Untrusted input may reach something sensitive (a shell, a query, a path, a template) through \`{{function}}\` in {{file}}. Check how input is passed on and make it safe. ${SCOPE} {{neighbours}}` },
  { id: 'security-paths', area: 'security', text: `File paths handled by or near \`{{function}}\` ({{file}}) might let a caller reach files outside the intended location. Investigate and restrict the paths properly. ${SCOPE} {{neighbours}}` },
  { id: 'security-secrets', area: 'security', text: `Sensitive values could end up in logs, errors or outputs produced around \`{{function}}\` in {{file}}. Find where that can happen and prevent it. ${SCOPE} {{neighbours}}` },
  // Compatibility
  { id: 'compat-platform', area: 'compatibility', text: `\`{{function}}\` in {{file}} may make assumptions that do not hold on every platform or environment (path separators, encodings, locales, versions). Find such an assumption and make the code portable. ${SCOPE} {{neighbours}}` },
  { id: 'compat-deprecated', area: 'compatibility', text: `Code in or around \`{{function}}\` ({{file}}) may rely on behaviour that is deprecated or inconsistent between versions of the language or its libraries. Update it to a robust form. ${SCOPE} {{neighbours}}` },
  { id: 'compat-backwards', area: 'compatibility', text: `A recent change near \`{{function}}\` in {{file}} may have broken callers that relied on the old behaviour. Find what changed for them and restore compatibility where it matters. ${SCOPE} {{neighbours}}` },
  // Data handling
  { id: 'data-precision', area: 'data handling', text: `Numbers computed in or around \`{{function}}\` in {{file}} may lose precision, overflow or be rounded at the wrong moment. Investigate and fix the arithmetic. ${SCOPE} {{neighbours}}` },
  { id: 'data-parsing', area: 'data handling', text: `Parsing or formatting done by code around \`{{function}}\` ({{file}}) may not round-trip: what is written cannot always be read back the same way. Find the asymmetry and fix it. ${SCOPE} {{neighbours}}` },
  { id: 'data-none', area: 'data handling', text: `Missing values (null, None, nil, undefined) may not be handled consistently in or around \`{{function}}\` in {{file}}. Find the inconsistent spot and make it consistent. ${SCOPE} {{neighbours}}` },
  { id: 'data-equality', area: 'data handling', text: `Comparisons, equality or hashing involving values handled by \`{{function}}\` ({{file}}) may not behave as intended. Look for a subtle comparison bug and fix it. ${SCOPE} {{neighbours}}` },
  // Logic
  { id: 'logic-condition', area: 'logic', text: `A condition in or around \`{{function}}\` in {{file}} may be wrong: inverted, too broad, too narrow, or missing a case. Find the faulty branch and correct it. ${SCOPE} {{neighbours}}` },
  { id: 'logic-edge-flow', area: 'logic', text: `Some path through \`{{function}}\` ({{file}}) gives a wrong result in a case its authors did not consider. Identify the case and handle it. ${SCOPE} {{neighbours}}` },
  // Non-bug changes
  { id: 'refactor-clarity', area: 'refactoring', nonBug: true, text: `\`{{function}}\` in {{file}} is harder to read than it should be. Refactor it (or the helpers around it) for clarity without changing what it does. ${SCOPE} {{neighbours}}` },
  { id: 'refactor-duplication', area: 'refactoring', nonBug: true, text: `Logic in \`{{function}}\` ({{file}}) seems to be duplicated elsewhere. Find the duplication and factor it into one place without changing behaviour. ${SCOPE} {{neighbours}}` },
  { id: 'refactor-split', area: 'refactoring', nonBug: true, text: `\`{{function}}\` in {{file}} does several things at once. Split out a well-named piece so each part has one job, keeping the behaviour the same. ${SCOPE} {{neighbours}}` },
  { id: 'docs-docstring', area: 'documentation', nonBug: true, text: `The documentation of \`{{function}}\` in {{file}} is missing, outdated or unhelpful. Write accurate documentation for it (parameters, results, errors) based on what the code actually does. ${SCOPE} {{neighbours}}` },
  { id: 'docs-comments', area: 'documentation', nonBug: true, text: `The non-obvious parts of \`{{function}}\` ({{file}}) are not explained. Add comments that say why the code is the way it is, and fix comments that have become wrong. ${SCOPE} {{neighbours}}` },
  { id: 'naming', area: 'naming', nonBug: true, text: `Names used in or around \`{{function}}\` in {{file}} (variables, parameters, helpers) are unclear or misleading. Rename what would confuse a reader, keeping the public interface intact unless it is clearly wrong. ${SCOPE} {{neighbours}}` },
  { id: 'dead-code', area: 'dead code', nonBug: true, text: `There may be dead or unreachable code in or near \`{{function}}\` in {{file}}: branches that never run, unused parameters or helpers. Find it and remove it safely. ${SCOPE} {{neighbours}}` },
  { id: 'logging', area: 'logging', nonBug: true, text: `When \`{{function}}\` ({{file}}) misbehaves in production there is little to go on. Add or improve logging or diagnostics at the points that would help, without noise. ${SCOPE} {{neighbours}}` },
  { id: 'types', area: 'type annotations', nonBug: true, text: `The types around \`{{function}}\` in {{file}} are missing, too loose or wrong. Add or tighten type annotations (or equivalent declarations) so they describe what the code really accepts and returns. ${SCOPE} {{neighbours}}` },
  { id: 'constants', area: 'maintainability', nonBug: true, text: `\`{{function}}\` in {{file}} uses magic values that make it hard to maintain. Give them names or move them to where related settings live, without changing behaviour. ${SCOPE} {{neighbours}}` },
  { id: 'simplify', area: 'maintainability', nonBug: true, text: `The control flow of \`{{function}}\` ({{file}}) is more convoluted than needed (deep nesting, flags, repeated checks). Simplify it while keeping the behaviour identical. ${SCOPE} {{neighbours}}` },
  { id: 'api-ergonomics', area: 'API design', nonBug: true, text: `Callers of \`{{function}}\` in {{file}} have to do awkward work around it. Improve its interface or add a small helper so common uses become simple, updating the callers you touch. ${SCOPE} {{neighbours}}` },
  { id: 'feature-option', area: 'small feature', nonBug: true, text: `A small, natural extension of \`{{function}}\` in {{file}} is missing: a reasonable option or case that its callers would expect. Find one that fits the code and implement it cleanly. ${SCOPE} {{neighbours}}` },
];
