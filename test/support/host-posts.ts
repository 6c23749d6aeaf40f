import assert from 'node:assert/strict';
import { parseHostMessage, type HostMessage, type HostMessageOf, type HostPost } from '../../src/protocol';

/**
 * What a controller posted, as the webview would see it: each message goes through JSON (NaN has
 * no JSON form) and the webview's own validation, which it must pass, and is kept as checked.
 */
export class HostPosts {
  posted: HostMessage[] = [];

  post = (m: HostPost) => {
    const parsed = parseHostMessage(JSON.parse(JSON.stringify(m)));
    assert.equal(parsed.ok, true, parsed.ok ? '' : parsed.error);
    if (parsed.ok) this.posted.push(parsed.message);
  };

  last<K extends HostMessage['type']>(type: K): HostMessageOf<K> {
    const found = [...this.posted].reverse().find((m) => m.type === type);
    assert.ok(found, `no ${type} message was posted`);
    return found as unknown as HostMessageOf<K>;
  }
}
