/**
 * A small line-at-a-time syntax colourer for diff lines: keywords, strings, comments, numbers
 * and type-like names. Diff lines come without their surrounding file, so a full grammar would
 * not help much; this keeps opening a 500-line patch pair well under the frame budget.
 */

interface Language {
  keywords: Set<string>;
  /** Line comment starters. */
  comments: string[];
  blockComment: boolean;
}

const words = (s: string) => new Set(s.split(/\s+/).filter(Boolean));

const C_LIKE_COMMENTS = ['//'];

const LANGUAGES: Record<string, Language> = {
  python: { keywords: words('and as assert async await break class continue def del elif else except False finally for from global if import in is lambda None nonlocal not or pass raise return self True try while with yield match case'), comments: ['#'], blockComment: false },
  ruby: { keywords: words('alias and begin break case class def do else elsif end ensure false for if in module next nil not or redo rescue retry return self super then true undef unless until when while yield require attr_reader attr_accessor'), comments: ['#'], blockComment: false },
  js: { keywords: words('abstract as async await break case catch class const constructor continue debugger declare default delete do else enum export extends false finally for from function get if implements import in instanceof interface let new null of private protected public readonly return set static super switch this throw true try type typeof undefined var void while with yield'), comments: C_LIKE_COMMENTS, blockComment: true },
  go: { keywords: words('break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var nil true false err'), comments: C_LIKE_COMMENTS, blockComment: true },
  rust: { keywords: words('as async await break const continue crate dyn else enum extern false fn for if impl in let loop match mod move mut pub ref return self Self static struct super trait true type unsafe use where while Some None Ok Err'), comments: C_LIKE_COMMENTS, blockComment: true },
  java: { keywords: words('abstract assert boolean break byte case catch char class const continue default do double else enum extends final finally float for if implements import instanceof int interface long native new null package private protected public return short static super switch synchronized this throw throws transient true false try void volatile while var record'), comments: C_LIKE_COMMENTS, blockComment: true },
  csharp: { keywords: words('abstract as async await base bool break case catch char class const continue decimal default delegate do double else enum event explicit extern false finally fixed float for foreach get if implicit in int interface internal is lock long namespace new null object out override params private protected public readonly ref return sealed set short static string struct switch this throw true try typeof uint ulong using var virtual void while'), comments: C_LIKE_COMMENTS, blockComment: true },
  cpp: { keywords: words('auto bool break case catch char class const constexpr continue default delete do double else enum explicit extern false float for friend if inline int long namespace new nullptr operator private protected public return short signed sizeof static struct switch template this throw true try typedef typename union unsigned using virtual void volatile while include define'), comments: C_LIKE_COMMENTS, blockComment: true },
  php: { keywords: words('abstract and array as break case catch class clone const continue declare default do echo else elseif empty extends final finally fn for foreach function global if implements include instanceof interface isset list match namespace new null or private protected public require return static switch throw trait true false try use var while yield'), comments: ['//', '#'], blockComment: true },
};

const BY_EXTENSION: Record<string, string> = {
  py: 'python', pyi: 'python', rb: 'ruby', js: 'js', jsx: 'js', mjs: 'js', cjs: 'js', ts: 'js', tsx: 'js', mts: 'js', cts: 'js',
  go: 'go', rs: 'rust', java: 'java', kt: 'java', cs: 'csharp', c: 'cpp', h: 'cpp', cc: 'cpp', cpp: 'cpp', cxx: 'cpp', hpp: 'cpp', hh: 'cpp', php: 'php',
};

export function languageOf(path: string): string | null {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? null : (BY_EXTENSION[path.slice(dot + 1).toLowerCase()] ?? null);
}

// One pass over the line: strings, numbers, identifiers, everything else.
const TOKEN = /("(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|`(?:[^`\\]|\\.)*`?)|(\b\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?[a-zA-Z]*\b|\b0[xX][0-9a-fA-F_]+\b)|([A-Za-z_$][\w$]*)/g;

function span(cls: string, text: string): HTMLSpanElement {
  const s = document.createElement('span');
  s.className = cls;
  s.textContent = text;
  return s;
}

/** Appends the coloured text of one line to `into`. */
export function highlightLine(into: HTMLElement, text: string, language: string | null): void {
  const lang = language ? LANGUAGES[language] : undefined;
  if (!lang || text.length > 2000) {
    into.append(text);
    return;
  }
  let commentAt = -1;
  const trimmed = text.trimStart();
  if (lang.blockComment && (trimmed.startsWith('/*') || trimmed.startsWith('*'))) commentAt = text.length - trimmed.length;
  let pos = 0;
  let plain = '';
  const flush = () => {
    if (plain) into.append(plain);
    plain = '';
  };
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
    if (commentAt >= 0) break;
    const before = text.slice(pos, m.index);
    // A comment starter outside strings ends the tokenizing: the rest of the line is comment.
    const starter = lang.comments.map((c) => before.indexOf(c)).filter((i) => i >= 0);
    if (starter.length) {
      commentAt = pos + Math.min(...starter);
      break;
    }
    plain += before;
    const [whole, str, num, ident] = m;
    if (str) {
      flush();
      into.append(span('tk-str', whole));
    } else if (num) {
      flush();
      into.append(span('tk-num', whole));
    } else if (ident && lang.keywords.has(ident)) {
      flush();
      into.append(span('tk-kw', whole));
    } else if (ident && /^[A-Z][a-z0-9]/.test(ident)) {
      flush();
      into.append(span('tk-type', whole));
    } else if (ident && text[m.index + whole.length] === '(') {
      flush();
      into.append(span('tk-fn', whole));
    } else {
      plain += whole;
    }
    pos = m.index + whole.length;
  }
  if (commentAt < 0) {
    const rest = text.slice(pos);
    const starter = lang.comments.map((c) => rest.indexOf(c)).filter((i) => i >= 0);
    if (starter.length) commentAt = pos + Math.min(...starter);
  }
  if (commentAt >= 0) {
    plain += text.slice(pos, commentAt);
    flush();
    into.append(span('tk-com', text.slice(commentAt)));
  } else {
    plain += text.slice(pos);
    flush();
  }
}
