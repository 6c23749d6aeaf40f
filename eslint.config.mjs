// Lint: the rules that guard what the type checker does not. `npm run lint`; .ci/run runs it.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'artifacts/**', 'test/fixtures/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      // A promise nobody awaits or catches hides its rejection; void marks the ones meant to run on.
      // node:test's describe/it/test return promises the runner itself waits for.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] }],
    },
  },
  {
    // The engine never reaches into its doors or the browser: the extension and the CLI call it, not the reverse.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'src/core never imports vscode; put VS Code code in src/extension.' }],
          patterns: [{ regex: '^(\\.\\./)+(extension|cli|webview)(/|$)', message: 'src/core imports nothing from src/extension, src/cli or webview.' }],
        },
      ],
    },
  },
);
