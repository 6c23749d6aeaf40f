type Count = (text: string, options: { disallowedSpecial: Set<string> }) => number;
let countTokens: Count | null = null;
let splitPattern: RegExp | null = null;

/** Loaded on first use: the rank tables take ~40 MB, which a thread that only writes never needs. */
function counter(): Count {
  if (!countTokens) {
    const encoding = require('gpt-tokenizer/encoding/cl100k_base') as { countTokens: Count; setMergeCacheSize: (n: number) => void };
    // Its merge cache keeps LRU order with a delete and a set on every hit; the word cache below
    // answers those lookups first, so the library's cache would only cost time and memory.
    encoding.setMergeCacheSize(0);
    countTokens = encoding.countTokens;
  }
  return countTokens;
}

/** The tokenizer's own pre-split, so every piece this module counts is one the tokenizer would form. */
function pieces(): RegExp {
  if (!splitPattern) {
    const { CL100K_TOKEN_SPLIT_REGEX } = require('gpt-tokenizer/encodingParams/constants') as { CL100K_TOKEN_SPLIT_REGEX: RegExp };
    // A copy: the `lastIndex` of a shared global regex is state this module must not share.
    splitPattern = new RegExp(CL100K_TOKEN_SPLIT_REGEX.source, CL100K_TOKEN_SPLIT_REGEX.flags);
  }
  return splitPattern;
}

/** Every special token is plain text here: code that mentions `<|endoftext|>` must count, not throw. */
const AS_TEXT = { disallowedSpecial: new Set<string>() };
/** What a chat template adds around each message (role markers, separators), as a flat allowance. */
export const TOKENS_PER_MESSAGE = 4;
const LINE_CACHE_ENTRIES = 50_000;
const PIECE_CACHE_ENTRIES = 50_000;
const CHUNKED_FROM = 256;

/**
 * A map bounded by two generations: when the young one fills up it becomes the old one, so keys
 * in steady use survive (they are promoted on a hit) while memory stays bounded without LRU
 * bookkeeping.
 */
class TwoGenerationCache {
  private young = new Map<string, number>();
  private old = new Map<string, number>();

  constructor(private readonly entries: number) {}

  get(key: string): number | undefined {
    const n = this.young.get(key);
    if (n !== undefined) return n;
    const promoted = this.old.get(key);
    if (promoted !== undefined) this.set(key, promoted);
    return promoted;
  }

  set(key: string, n: number): void {
    if (this.young.size >= this.entries) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(ownCopy(key), n);
  }
}
/**
 * Counts BPE tokens with cl100k_base (a vocabulary the size of common students'; half the memory
 * of o200k_base). Long texts are counted line by line through a cache: an export reads the same
 * repository's files over and over (both rollouts of a sample, many samples per file), so most
 * lines have been counted before. Splitting only where the tokenizer's own pre-split always
 * breaks keeps the sum exact (see `chunkEnd`).
 */
export class TokenCounter {
  private readonly lines = new TwoGenerationCache(LINE_CACHE_ENTRIES);
  private readonly pieces = new TwoGenerationCache(PIECE_CACHE_ENTRIES);
  // The system prompt with its tool list (and, for the openai format, the tool list itself) is the
  // same string object in every row: its hash is cached on it, so this lookup is nearly free.
  private remembered = new Map<string, number>();

  count(text: string, remember = false): number {
    if (!text) return 0;
    if (text.length < CHUNKED_FROM) return this.countPieces(text);
    const known = remember ? this.remembered.get(text) : undefined;
    if (known !== undefined) return known;
    let n = 0;
    for (let start = 0, end = 0; start < text.length; start = end) {
      end = chunkEnd(text, start);
      const chunk = text.slice(start, end);
      let k = this.lines.get(chunk);
      if (k === undefined) {
        k = this.countPieces(chunk);
        this.lines.set(chunk, k);
      }
      n += k;
    }
    if (remember) {
      if (this.remembered.size >= 16) this.remembered.clear();
      this.remembered.set(text, n);
    }
    return n;
  }

  /**
   * Splits as the tokenizer does and counts each piece once: pieces (identifiers, keywords,
   * indentation, operators) repeat far more than lines, so nearly every lookup hits. A piece
   * counted alone gives its own tokens: it is a whole match of the pre-split, and matching it
   * again from its start finds the same piece.
   */
  private countPieces(text: string): number {
    const split = pieces();
    const count = counter();
    let n = 0;
    split.lastIndex = 0;
    for (let m = split.exec(text); m; m = split.exec(text)) {
      const piece = m[0];
      let k = this.pieces.get(piece);
      if (k === undefined) {
        k = count(piece, AS_TEXT);
        this.pieces.set(piece, k);
      }
      n += k;
    }
    return n;
  }

  /**
   * Sum over the texts of each message plus the per-message allowance; stops counting once past
   * `limit` (0: no limit) and then returns a number above it. The first message, and the one at
   * `rememberLast`, are texts that repeat from row to row.
   */
  countMessages(messages: string[][], limit = 0, rememberLast = -1): { total: number; perMessage: number[] } {
    let total = 0;
    const perMessage: number[] = [];
    for (let i = 0; i < messages.length; i++) {
      let n = TOKENS_PER_MESSAGE;
      for (const t of messages[i]) n += this.count(t, i === 0 || i === rememberLast);
      perMessage.push(n);
      total += n;
      if (limit && total > limit) break;
    }
    return { total, perMessage };
  }
}

/**
 * A slice of a long string keeps the whole string alive; a cache key must hold only its own
 * characters, or the cache would pin every tool output it ever saw.
 */
function ownCopy(chunk: string): string {
  return (chunk + ' ').slice(0, -1);
}

/**
 * Where the chunk of text that begins at `start` ends. Text is cut after each newline whose next
 * line holds a visible ASCII character after its leading spaces and tabs. cl100k's pre-split never joins such a newline to what follows: a run of
 * whitespace that starts with a newline ends at the last newline before visible text, letter runs
 * never start with a newline, punctuation runs only end with newlines. So both sides of the cut
 * split into the same pieces as the whole text does, and the token counts add up exactly.
 * Lines that are blank or start with other characters stay joined to the line before.
 */
export function chunkEnd(text: string, start: number): number {
  let nl = text.indexOf('\n', start);
  while (nl !== -1) {
    let i = nl + 1;
    let c = text.charCodeAt(i);
    while (c === 0x20 || c === 0x09) c = text.charCodeAt(++i);
    if (c > 0x20 && c < 0x7f) return nl + 1;
    nl = text.indexOf('\n', nl + 1);
  }
  return text.length;
}

/** The tokenizer without any splitting or cache, for checking that the two agree. */
export function countTokensWhole(text: string): number {
  return counter()(text, AS_TEXT);
}
