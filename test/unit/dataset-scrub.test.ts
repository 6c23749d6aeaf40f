import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { Scrubber, scrubPatterns } from '../../src/core/dataset';

const PROJECT = resolve(__dirname, '../..');

/** Real secrets' shapes, each in the kind of line it turns up in; every value is made up. */
const PLANTED: { line: string; secret: string; type: string }[] = [
  { line: 'OPENAI_API_KEY=sk-proj-Ab3dEf9hIjKlMnOpQrStUvWxYz0123456789abcdEFGH', secret: 'sk-proj-Ab3dEf9hIjKlMnOpQrStUvWxYz0123456789abcdEFGH', type: 'openai-key' },
  { line: 'client = OpenAI(api_key="sk-4fG8hJ2kL9mN3pQ7rS1tV5wX0yZ6aB8cD2eF4gH6iJ8kL0mN")', secret: 'sk-4fG8hJ2kL9mN3pQ7rS1tV5wX0yZ6aB8cD2eF4gH6iJ8kL0mN', type: 'openai-key' },
  { line: 'ANTHROPIC_API_KEY: sk-ant-api03-Xy7_Qw3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz1Xc3Vb5Nm7Qw9Er1Ty3Ui5Op7As9Df1Gh3Jk5Lz7Xc9Vb1Nm3-AbCdEfAA', secret: 'sk-ant-api03-Xy7_Qw3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz1Xc3Vb5Nm7Qw9Er1Ty3Ui5Op7As9Df1Gh3Jk5Lz7Xc9Vb1Nm3-AbCdEfAA', type: 'anthropic-key' },
  { line: 'aws_access_key_id = AKIAQX7RZ3N5B2LKP4WM', secret: 'AKIAQX7RZ3N5B2LKP4WM', type: 'aws-access-key' },
  { line: 'aws_secret_access_key = q8Zt3+Vn1/Kw5yRb7Lp2Hs9Dm4Fx6Gc0Jv8Nq3Ew1T', secret: 'q8Zt3+Vn1/Kw5yRb7Lp2Hs9Dm4Fx6Gc0Jv8Nq3Ew1T', type: 'secret-value' },
  { line: 'git clone https://ghp_R7tY2uI9oP4aS6dF1gH3jK5lZ8xC0vB2nM4qW@github.com/acme/app.git', secret: 'ghp_R7tY2uI9oP4aS6dF1gH3jK5lZ8xC0vB2nM4qW', type: 'github-token' },
  { line: 'GITHUB_TOKEN="github_pat_11ABCDEFG0aBcDeFgHiJkL_mNoPqRsTuVwXyZ0123456789aBcDeFgHiJkLmNoPqRsTuVwXyZ01234"', secret: 'github_pat_11ABCDEFG0aBcDeFgHiJkL_mNoPqRsTuVwXyZ0123456789aBcDeFgHiJkLmNoPqRsTuVwXyZ01234', type: 'github-token' },
  { line: 'export GITLAB_TOKEN=glpat-x9Kq2Lw7Zr4Vt1Ny8Bm3', secret: 'glpat-x9Kq2Lw7Zr4Vt1Ny8Bm3', type: 'gitlab-token' },
  { line: 'slack_token = "xoxb-2048174629-4096382715-q7Wz9Rt3Yu5Io1Pa8Sd2Fg6H"', secret: 'xoxb-2048174629-4096382715-q7Wz9Rt3Yu5Io1Pa8Sd2Fg6H', type: 'slack-token' },
  { line: 'WEBHOOK = "https://hooks.slack.com/services/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"', secret: 'T024BE7LD/B08F2M9KQ/aB3cD5eF7gH9iJ1kL3mN5oP7', type: 'slack-webhook' },
  { line: 'const maps = new Client({ key: "AIzaSyD4x9Qw2Er7Ty5Ui3Op1As8Df6Gh4Jk2Lz" });', secret: 'AIzaSyD4x9Qw2Er7Ty5Ui3Op1As8Df6Gh4Jk2Lz', type: 'google-api-key' },
  { line: 'stripe.api_key = "sk_live_51HqZ8eK2Lm4Np6Qr8St0Uv2Wx4Yz"', secret: 'sk_live_51HqZ8eK2Lm4Np6Qr8St0Uv2Wx4Yz', type: 'stripe-key' },
  { line: 'login(token="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")', secret: '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', type: 'huggingface-token' },
  { line: '//registry.npmjs.org/:_authToken=npm_Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv1Wx2', secret: 'npm_Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv1Wx2', type: 'npm-token' },
  { line: 'SENDGRID_API_KEY=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', secret: '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', type: 'sendgrid-key' },
  { line: 'auth = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI0MjQyIiwibmFtZSI6IkFkYSJ9.k3Jq9Zx7Vb5Nm1Qw3Er5Ty7Ui9Op1As3Df5Gh7Jk9"', secret: 'k3Jq9Zx7Vb5Nm1Qw3Er5Ty7Ui9Op1As3Df5Gh7Jk9', type: 'jwt' },
  { line: 'DATABASE_URL=postgres://app_user:Xk9#mQ2vL7pR@db.internal:5432/orders', secret: 'Xk9#mQ2vL7pR', type: 'connection-password' },
  { line: 'mongo = MongoClient("mongodb+srv://admin:hT5wQ8zN3kL6@cluster0.ab1cd.mongodb.net/shop")', secret: 'hT5wQ8zN3kL6', type: 'connection-password' },
  { line: 'curl -H "Authorization: Bearer 9f8Kd7Ls6Jq5Hw4Gz3Fx2Cv1Bn0Mq" https://api.acme.dev/v1/orders', secret: '9f8Kd7Ls6Jq5Hw4Gz3Fx2Cv1Bn0Mq', type: 'bearer-token' },
  { line: 'DB_PASSWORD = "Tr0ub4dor&3xq"', secret: 'Tr0ub4dor&3xq', type: 'password' },
  { line: 'DB_PASSWORD=Tr0ub4dor&3xyz', secret: 'Tr0ub4dor&3xyz', type: 'password' },
  { line: '    12\texport SMTP_PASSWORD=w7!Kq2#Zr9vL', secret: 'w7!Kq2#Zr9vL', type: 'password' },
  { line: '    "password": "w7!Kq2#Zr9vL",', secret: 'w7!Kq2#Zr9vL', type: 'password' },
  { line: 'SECRET_KEY = "django-insecure-8x$k2!m9p@q#w3e4r5t6y7u8i9o0p-a1s2d3f4g5h6"', secret: 'django-insecure-8x$k2!m9p@q#w3e4r5t6y7u8i9o0p-a1s2d3f4g5h6', type: 'secret-value' },
  { line: 'api_key: 5d41402abc4b2a76b9719d911017c592', secret: '5d41402abc4b2a76b9719d911017c592', type: 'secret-value' },
  { line: 'const clientSecret = "Zq3Xw8Ev5Rb2Tn7Ym4Uk1Il6Op9As0Df";', secret: 'Zq3Xw8Ev5Rb2Tn7Ym4Uk1Il6Op9As0Df', type: 'secret-value' },
  { line: 'heroku config:set --api-key=4b9e2c71-8d3f-4a6b-9e1c-7f2d5a8b3c60', secret: '4b9e2c71-8d3f-4a6b-9e1c-7f2d5a8b3c60', type: 'secret-value' },
  {
    line: 'key = """-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAx7Zq3Xw8Ev5Rb2Tn7Ym4Uk1Il6Op9As0DfGh3Jk5Lz7Xc9Vb1\nNm3Qw5Er7Ty9Ui1Op3As5Df7Gh9Jk1Lz3Xc5Vb7Nm9Qw1Er3Ty5Ui7Op9As1Df3Gh5\n-----END RSA PRIVATE KEY-----"""',
    secret: 'MIIEpAIBAAKCAQEAx7Zq3Xw8Ev5Rb2Tn7Ym4Uk1Il6Op9As0DfGh3Jk5Lz7Xc9Vb1',
    type: 'private-key',
  },
  {
    line: '"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7Zq3Xw8Ev5Rb2Tn\\n-----END PRIVATE KEY-----\\n",',
    secret: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7Zq3Xw8Ev5Rb2Tn',
    type: 'private-key',
  },
];

// Made-up key material: 64-column base64 as PEM writes it.
const BODY = [
  'MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQDQ7Zq3Xw8Ev5Rb',
  '2Tn7Ym4Uk1Il6Op9As0DfGh3Jk5Lz7Xc9Vb1Nm3Qw5Er7Ty9Ui1Op3As5Df7Gh9J',
  '1Lz3Xc5Vb7Nm9Qw1Er3Ty5Ui7Op9As1Df3Gh5Jk7Lz9Xc1Vb3Nm5Qw7Er9Ty1Ui3',
  'Op5As7Df9Gh1Jk3Lz5Xc7Vb9Nm1Qw3Er5Ty7Ui9Op1As3Df5==',
];
const CERTIFICATE = ['-----BEGIN CERTIFICATE-----', ...BODY, '-----END CERTIFICATE-----'].join('\n');
/** What the editor shows of lines 20-24 of a key file: numbered body lines and the END line, no BEGIN. */
const KEY_VIEW = `Contents of /testbed/deploy/id_rsa (lines 20-24):\n${[...BODY, '-----END PRIVATE KEY-----'].map((l, i) => `${String(20 + i).padStart(6)}\t${l}`).join('\n')}`;

/** Ordinary text that looks a little like secrets and must come through byte for byte. */
const ORDINARY_LINES = [
  'sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"',
  'commit = "9fceb02d0ae598e95dc970b74767f19372d61af8"',
  'cache_key = "5d41402abc4b2a76b9719d911017c592"',
  'request_id = "123e4567-e89b-12d3-a456-426614174000"',
  '"integrity": "sha512-YAWIyzvuVUHEfW7tFfFAxH8qQb+Q3RU9nYOTy7skMNX5qzU6Q8jxTHZLyO56ug1vYvCR7wndzpd3jwD86/mhjQ=="',
  'PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")',
  'token = self.next_token()',
  'password = getpass.getpass()',
  'api_key = os.environ["OPENAI_API_KEY"]',
  'secret = settings.SECRET_KEY',
  'eos_token = "<|endoftext|>"',
  'url = "postgres://user:password@localhost:5432/test"',
  'DATABASE_URL = "mysql://root:${DB_PASSWORD}@db/app"',
  'if line.startswith("-----BEGIN PRIVATE KEY-----"):',
  '<div class="sk-rotating-plane sk-spinner-pulse-animation"></div>',
  'const tokenizer = new Tokenizer({ maxTokens: 4096, keyPrefix: "cache:" });',
  'headers["Authorization"] = f"Bearer {token}"',
  'password_hash = bcrypt.hashpw(password.encode(), bcrypt.gensalt())',
  'AWS_REGION=eu-west-1',
  'const API_KEY_HEADER = "x-api-key";',
  'DB_PASSWORD=${POSTGRES_PASSWORD}',
  'DB_PASSWORD=changeme',
  'db_password=settings.get_password',
  'password=args.password',
  CERTIFICATE,
];

function realFiles(): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const take = (dir: string, re: RegExp, max: number) => {
    if (!existsSync(dir)) return;
    const walk = (d: string) => {
      for (const e of readdirSync(d).sort()) {
        if (out.length >= max) return;
        const p = join(d, e);
        const st = statSync(p);
        if (st.isDirectory()) walk(p);
        else if (re.test(p) && st.size < 400_000) out.push({ path: p, text: readFileSync(p, 'utf8') });
      }
    };
    walk(dir);
  };
  // Python's stdlib modules that deal in passwords, tokens, keys and hashes, and the openai client's own key handling.
  for (const f of ['getpass.py', 'secrets.py', 'hashlib.py', 'hmac.py', 'base64.py', 'uuid.py', 'netrc.py', 'smtplib.py', 'imaplib.py', 'ftplib.py', 'poplib.py', 'tokenize.py', 'ssl.py']) {
    const p = join('/usr/lib/python3.11', f);
    if (existsSync(p)) out.push({ path: p, text: readFileSync(p, 'utf8') });
  }
  take('/usr/lib/python3.11/urllib', /\.py$/, out.length + 10);
  take('/usr/lib/python3.11/email', /\.py$/, out.length + 30);
  take(join(PROJECT, 'node_modules/openai/src'), /\.ts$/, out.length + 300);
  take(join(PROJECT, 'node_modules/commander/lib'), /\.js$/, out.length + 20);
  take(join(PROJECT, 'src'), /\.ts$/, out.length + 400);
  out.push({ path: 'package-lock.json', text: readFileSync(join(PROJECT, 'package-lock.json'), 'utf8') });
  return out;
}

describe('secret scrubbing', () => {
  it('catches every planted secret, names its type, and keeps none of its characters', () => {
    for (const p of PLANTED) {
      const found: string[] = [];
      const out = scrubPatterns(p.line, found);
      assert.ok(!out.includes(p.secret), `${p.type} survived in: ${out}`);
      assert.ok(found.includes(p.type), `expected ${p.type} for ${p.line}, found ${found.join(', ')}`);
      assert.ok(out.includes(`<REDACTED:${p.type}>`), out);
    }
  });

  it('catches secrets inside larger text and reports one entry per secret', () => {
    const text = PLANTED.map((p) => `# config\n${p.line}\nprint("done")`).join('\n\n');
    const found: string[] = [];
    const out = scrubPatterns(text, found);
    for (const p of PLANTED) assert.ok(!out.includes(p.secret), p.type);
    assert.equal(found.length, PLANTED.length);
    assert.equal(out.split('print("done")').length, PLANTED.length + 1);
  });

  it('leaves hashes, UUIDs, base64 data, placeholders and code that reads secrets byte-identical', () => {
    for (const line of ORDINARY_LINES) {
      const found: string[] = [];
      assert.equal(scrubPatterns(line, found), line, `changed: ${line} (${found.join(', ')})`);
    }
  });

  it('leaves a corpus of real source files byte-identical', () => {
    const files = realFiles();
    assert.ok(files.length > 300, `only ${files.length} files found`);
    let bytes = 0;
    for (const f of files) {
      const found: string[] = [];
      const out = scrubPatterns(f.text, found);
      bytes += f.text.length;
      if (out !== f.text) {
        const at = [...out].findIndex((ch, i) => ch !== f.text[i]);
        assert.fail(`${f.path} changed (${found.join(', ')}) near: ${f.text.slice(Math.max(0, at - 80), at + 80)}`);
      }
    }
    assert.ok(bytes > 2_000_000);
  });

  it('always removes known secrets and the user\'s paths, even with pattern scrubbing off', () => {
    const key = 'my-very-own-teacher-key-1234';
    const scrubber = new Scrubber({
      patterns: false,
      knownSecrets: [key],
      paths: [
        { from: '/home/alice/code/shop', to: '/testbed' },
        { from: '/home/alice', to: '~' },
      ],
    });
    const found: string[] = [];
    const out = scrubber.scrub(`key=${key}\ncd /home/alice/code/shop/src && cat /home/alice/.bashrc /home/alicex/file\nsk-proj-Ab3dEf9hIjKlMnOpQrStUvWxYz0123456789`, found);
    assert.equal(out, 'key=<REDACTED:known-secret>\ncd /testbed/src && cat ~/.bashrc /home/alicex/file\nsk-proj-Ab3dEf9hIjKlMnOpQrStUvWxYz0123456789');
    assert.deepEqual(found, ['known-secret', 'user-path', 'user-path']);
  });

  it('catches a private key\'s body lines without its BEGIN line: numbered, next to END, or alone', () => {
    for (const text of [KEY_VIEW, BODY.slice(0, 3).join('\n'), `key_tail = """\n${BODY.slice(2).join('\n')}\n-----END RSA PRIVATE KEY-----"""`]) {
      const found: string[] = [];
      const out = scrubPatterns(text, found);
      for (const line of BODY.filter((l) => text.includes(l))) assert.ok(!out.includes(line.slice(0, 40)), `a body line survived in:\n${out}`);
      assert.deepEqual(found, ['private-key']);
    }
    // The view keeps its line numbers, so the agent's steps still read as they did.
    assert.match(scrubPatterns(KEY_VIEW, []), /^ {4}20\t<REDACTED:private-key>$/m);
  });

  it('collects the values it replaced, and a run-wide scrubber replaces them wherever they occur', () => {
    const values = new Map<string, string>();
    const env = 'DB_PASSWORD=Tr0ub4dor&3xyz\nSTRIPE=sk_live_51HqZ8eK2Lm4Np6Qr8St0Uv2Wx4Yz';
    new Scrubber({ patterns: true, knownSecrets: [], paths: [] }).scrub(env, [], values);
    new Scrubber({ patterns: true, knownSecrets: [], paths: [] }).scrub(KEY_VIEW, [], values);
    assert.equal(values.get('Tr0ub4dor&3xyz'), 'password');
    assert.equal(values.get('sk_live_51HqZ8eK2Lm4Np6Qr8St0Uv2Wx4Yz'), 'stripe-key');
    assert.equal(values.get(BODY[1]), 'private-key');
    const runWide = new Scrubber({ patterns: true, knownSecrets: [], paths: [], runSecrets: [...values].map(([value, type]) => ({ value, type })) });
    const found: string[] = [];
    // The teacher's prose: nothing around the values says they are secrets.
    const prose = `I logged in as admin with Tr0ub4dor&3xyz, and the line ${BODY[1]} is part of the key.`;
    assert.equal(runWide.scrub(prose, found), 'I logged in as admin with <REDACTED:password>, and the line <REDACTED:private-key> is part of the key.');
    assert.deepEqual(found, ['password', 'private-key']);
    assert.equal(runWide.scrub('nothing here', []), 'nothing here');
  });

  it('returns the very same string when nothing is found', () => {
    const text = readFileSync(join(PROJECT, 'src/core/dataset/scrub.ts'), 'utf8');
    const scrubber = new Scrubber({ patterns: true, knownSecrets: [], paths: [] });
    assert.equal(scrubber.scrub(text, []), text);
  });
});
