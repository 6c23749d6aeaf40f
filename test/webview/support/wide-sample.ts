/**
 * A sample with long lines, as real library code has them (about 100-150 characters), for the
 * tests and screenshots of the patch view on a wide screen. The source is this project's own
 * small HTTP-session module, written for the fixture.
 */
import type { SampleRecord } from '../../../src/core/store';
import { buildSample, gitDiff, verificationOf, type BuiltSample } from './run-fixture';

export const WIDE_FILE = 'inventory/http/session.py';

export const WIDE_SOURCE = `import logging
from urllib.parse import urljoin, urlsplit

logger = logging.getLogger(__name__)

REDIRECT_CODES = (301, 302, 303, 307, 308)


class SessionRedirects:
    """Follows redirects for a session, keeping the method, body and headers that each status code allows."""

    def __init__(self, session, max_redirects=30, trust_env=True):
        self.session = session
        self.max_redirects = max_redirects
        self.trust_env = trust_env

    def resolve_redirects(self, response, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        history = []
        while response.status_code in REDIRECT_CODES and response.headers.get("location") is not None:
            location = response.headers["location"]
            if location.startswith("//"):
                location = "%s:%s" % (urlsplit(response.url).scheme, location)
            location = urljoin(response.url, location)
            history.append(response)
            prepared = request.copy()
            prepared.url = location
            if response.status_code == 303 and prepared.method != "HEAD":
                prepared.method = "GET"
                prepared.body = None
            self.rebuild_auth(prepared, response)
            response = self.session.send(prepared, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies=proxies, allow_redirects=False)
            logger.debug("redirected from %s to %s with status %d after %d hops", history[-1].url, location, response.status_code, len(history))
        response.history = history
        return response

    def rebuild_auth(self, prepared, response):
        headers = prepared.headers
        if "Authorization" in headers and urlsplit(response.request.url).hostname != urlsplit(prepared.url).hostname:
            del headers["Authorization"]
`;

const P1_EDITS: [string, string][] = [
  ['        while response.status_code in REDIRECT_CODES and response.headers.get("location") is not None:', '        while response.status_code in REDIRECT_CODES and response.headers.get("location") is not None:\n            if len(history) >= self.max_redirects:\n                raise TooManyRedirects("exceeded %d redirects while fetching %s" % (self.max_redirects, response.url), response=response)'],
  ['            if response.status_code == 303 and prepared.method != "HEAD":', '            if (response.status_code == 303 and prepared.method != "HEAD") or (response.status_code in (301, 302) and prepared.method == "POST"):'],
  ['                prepared.body = None', '                prepared.body = None\n                prepared.headers.pop("Content-Length", None)\n                prepared.headers.pop("Transfer-Encoding", None)'],
];
const P2_EDITS: [string, string][] = [
  [P1_EDITS[0][0], '        while response.status_code in REDIRECT_CODES and response.headers.get("location") is not None:\n            if len(history) >= self.max_redirects:\n                raise TooManyRedirects("exceeded %d redirects while fetching %s" % (self.max_redirects, response.url), response=response)'],
  [P1_EDITS[2][0], '                prepared.body = None\n                prepared.headers.pop("Content-Length", None)'],
  ['        response.history = history', '        response.history = history\n        logger.info("followed %d redirects for %s %s, ending at %s", len(history), request.method, request.url, response.url)'],
];

const apply = (text: string, edits: [string, string][]) => edits.reduce((t, [from, to]) => t.replace(from, to), text);

/** The wide sample on `SessionRedirects.resolve_redirects`: P2 reproduces part of P1 and adds a line of its own. */
export function wideSample(seed = 7, i = 5000): BuiltSample {
  const source = buildSample(seed, i);
  const built = source.record;
  const p1 = gitDiff(WIDE_FILE, WIDE_SOURCE, apply(WIDE_SOURCE, P1_EDITS));
  const p2 = gitDiff(WIDE_FILE, WIDE_SOURCE, apply(WIDE_SOURCE, P2_EDITS));
  const lines = WIDE_SOURCE.split('\n');
  const start = lines.findIndex((l) => l.includes('def resolve_redirects')) + 1;
  const end = lines.findIndex((l) => l.includes('return response')) + 1;
  const verification = verificationOf(p1, p2, 0.5);
  const record: SampleRecord = {
    ...built,
    id: 'wide00000001',
    function: { id: `${WIDE_FILE}:SessionRedirects.resolve_redirects:${start}`, file: WIDE_FILE, name: 'resolve_redirects', qualifiedName: 'SessionRedirects.resolve_redirects', language: 'python', startLine: start, endLine: end },
    rollout1: { ...built.rollout1!, patch: p1 },
    rollout2: { ...(built.rollout2 ?? built.rollout1!), patch: p2 },
    verification,
    status: verification.passed ? 'verified' : 'below-threshold',
    failure: null,
  };
  return { record, trajectories: source.trajectories };
}
