import { describe, expect, it } from 'vitest';
import { archesFor, parseArches, parseRuleKey, renderRules } from '../../src/audit-rules/rules';

describe('archesFor', () => {
  it.each([
    ['x86_64', true, ['b64', 'b32']],
    ['aarch64', true, ['b64', 'b32']],
    ['aarch64', false, ['b64']],
    ['riscv64', true, ['b64']],
    ['i686', true, ['b32']],
  ] as const)('%s (compat %s)', (machine, compat, arches) => {
    expect(archesFor(machine, compat)).toEqual(arches);
  });
});

describe('parseArches', () => {
  it('accepts b64,b32 and drops duplicates', () => {
    expect(parseArches('b64, b32,b64')).toEqual(['b64', 'b32']);
  });
  it.each(['', 'x86_64', 'b64,arm'])('rejects "%s" naming the accepted values', (list) => {
    expect(() => parseArches(list)).toThrow(/b64 and b32/);
  });
});

describe('renderRules', () => {
  it('writes an exit rule and a signal rule per arch, keyed process_terminations', () => {
    const rules = renderRules(['b64'])
      .split('\n')
      .filter((l) => l.startsWith('-a'));
    expect(rules).toEqual([
      '-a always,exit -F arch=b64 -S exit,exit_group -k process_terminations',
      '-a always,exit -F arch=b64 -S kill,tkill,tgkill,rt_sigqueueinfo,rt_tgsigqueueinfo,pidfd_send_signal -k process_terminations',
    ]);
  });
  it('keeps comments auditctl -R and augenrules skip', () => {
    const lines = renderRules(['b64', 'b32']).trimEnd().split('\n');
    expect(lines.filter((l) => !l.startsWith('-a')).every((l) => l.startsWith('#'))).toBe(true);
    expect(lines.filter((l) => l.includes('arch=b32'))).toHaveLength(2);
  });
});

describe('rules --key', () => {
  it('tags every rule with the given key', () => {
    const rules = renderRules(['b64', 'b32'], parseRuleKey('pt_site'))
      .split('\n')
      .filter((l) => l.startsWith('-a'));
    expect(rules).toHaveLength(4);
    expect(rules.every((l) => l.endsWith(' -k pt_site'))).toBe(true);
  });

  it.each(['', 'has space', 'a'.repeat(32), 'x;rm'])('rejects "%s"', (key) => {
    expect(() => parseRuleKey(key)).toThrow(/--key expects 1 to 31/);
  });
});
