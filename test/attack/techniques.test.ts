import { describe, expect, it } from 'vitest';
import { buildLayer } from '../../src/attack/layer';
import { createTechniquesTable } from '../../src/tables/techniques';
import { loadPack } from '../../src/sql/pack';

describe('process_termination_techniques', () => {
  it('has one row per Process Termination technique with its v19 id', async () => {
    const rows = await createTechniquesTable().generate({ constraints: new Map() });
    const ids = rows.map((r) => [r['technique_id'], r['v19_id'], r['matrix']]);
    expect(ids).toEqual([
      ['T1489', 'T1489', 'enterprise'],
      ['T1562', 'T1685', 'enterprise'],
      ['T1562.001', 'T1685', 'enterprise'],
      ['T1668', 'T1668', 'enterprise'],
      ['T1629', 'T1629', 'mobile'],
    ]);
    expect(rows.find((r) => r['technique_id'] === 'T1629')?.['platforms']).toMatch(
      /no osquery platform/,
    );
    expect(rows.find((r) => r['technique_id'] === 'T1562.001')?.['v19_tactic']).toBe(
      'Defense Impairment',
    );
    expect(rows.find((r) => r['technique_id'] === 'T1668')?.['tactic']).toBe('Persistence');
  });
});

describe('attack-layer', () => {
  const pack = loadPack('packs/process-terminations.pack.yml');

  it('is a Navigator 4.5 enterprise layer scoring each covered technique by query count', () => {
    const layer = buildLayer(pack) as {
      versions: { layer: string };
      domain: string;
      techniques: Array<Record<string, unknown>>;
    };
    expect(layer.versions.layer).toBe('4.5');
    expect(layer.domain).toBe('enterprise-attack');
    const scores = Object.fromEntries(
      layer.techniques.map((t) => [t['techniqueID'], [t['tactic'], t['score']]]),
    );
    // From the pack: T1489 in mass kill + service stop; T1562 in crashed; T1562.001 in killed,
    // service stop and the three not-running queries; T1668 in miner killed. No mobile T1629.
    expect(scores).toEqual({
      T1489: ['impact', 2],
      T1562: ['defense-evasion', 1],
      'T1562.001': ['defense-evasion', 5],
      T1668: ['persistence', 1],
    });
  });

  it('merges T1562 and T1562.001 into T1685 with v19 ids', () => {
    const layer = buildLayer(pack, { v19: true }) as { techniques: Array<Record<string, unknown>> };
    const t1685 = layer.techniques.find((t) => t['techniqueID'] === 'T1685');
    expect(t1685?.['tactic']).toBe('defense-impairment');
    expect(t1685?.['score']).toBe(6);
    expect(layer.techniques.map((t) => t['techniqueID']).sort()).toEqual([
      'T1489',
      'T1668',
      'T1685',
    ]);
  });
});
