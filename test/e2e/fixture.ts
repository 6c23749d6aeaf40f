import { makeRepo, type FixtureRepo } from '../support/fixture-repo';

/**
 * The repository the end-to-end test opens: three languages and a dozen functions, each named
 * for what the scenario teacher does with it (reproduce_*: recall 1, half_*: 0.5, elsewhere_*: 0).
 */
export function makeE2eRepo(): Promise<FixtureRepo> {
  const py = (name: string) => `def ${name}(items):\n    result = 0\n    for item in items:\n        result += item\n    return result\n`;
  return makeRepo(
    {
      'README.md': '# shop\n\nA small fixture shop.\n',
      'shop/cart.py': [py('reproduce_total'), py('half_subtotal'), py('elsewhere_discount')].join('\n\n'),
      'shop/tax.py': [py('reproduce_tax'), py('half_rounding'), py('reproduce_shipping')].join('\n\n'),
      'web/format.ts': [
        'export function reproduce_price(cents: number): string {\n  const whole = Math.floor(cents / 100);\n  const rest = cents % 100;\n  return `${whole}.${String(rest).padStart(2, "0")}`;\n}\n',
        'export function half_label(name: string): string {\n  const trimmed = name.trim();\n  const upper = trimmed.toUpperCase();\n  return upper;\n}\n',
        'export function elsewhere_slug(text: string): string {\n  const lower = text.toLowerCase();\n  const dashed = lower.replace(/ +/g, "-");\n  return dashed;\n}\n',
      ].join('\n'),
      'pkg/stock/stock.go': [
        'package stock\n',
        'func reproduce_count(items []int) int {\n\ttotal := 0\n\tfor _, n := range items {\n\t\ttotal += n\n\t}\n\treturn total\n}\n',
        'func half_max(items []int) int {\n\tbest := 0\n\tfor _, n := range items {\n\t\tif n > best {\n\t\t\tbest = n\n\t\t}\n\t}\n\treturn best\n}\n',
        'func reproduce_min(items []int) int {\n\tbest := items[0]\n\tfor _, n := range items {\n\t\tif n < best {\n\t\t\tbest = n\n\t\t}\n\t}\n\treturn best\n}\n',
      ].join('\n'),
      'tests/test_cart.py': 'def test_total():\n    assert True\n',
    },
    { prefix: 'e2e-shop-' },
  );
}
