import type { Pack } from '../sql/pack';
import { TECHNIQUES, type Technique } from './techniques';

/** Options for an ATT&CK Navigator layer. */
export interface LayerOptions {
  /** Use ATT&CK v19 ids and tactics (T1685, Defense Impairment) instead of v18's. */
  readonly v19?: boolean;
  /** Navigator application version written to `versions.navigator`. */
  readonly navigatorVersion?: string;
}

/** A technique annotation in Navigator layer format 4.5. */
export interface LayerTechnique {
  techniqueID: string;
  tactic: string;
  score: number;
  comment: string;
  enabled: boolean;
  metadata: Array<{ name: string; value: string }>;
  showSubtechniques: boolean;
}

function tacticShortName(tactic: string): string {
  return tactic.toLowerCase().replace(/\s+/g, '-');
}

function annotate(t: Technique, queries: string[], v19: boolean): LayerTechnique {
  return {
    techniqueID: v19 ? t.v19_id : t.technique_id,
    tactic: tacticShortName(v19 ? t.v19_tactic : t.tactic),
    score: queries.length,
    comment: `Covered by ${queries.join(', ')}`,
    enabled: true,
    metadata: [
      { name: 'data component', value: 'Process Termination (DC0033)' },
      { name: v19 ? 'v18 id' : 'v19 id', value: v19 ? t.technique_id : t.v19_id },
    ],
    showSubtechniques: true,
  };
}

/**
 * An ATT&CK Navigator layer (format 4.5, enterprise domain) of the techniques the pack's
 * queries cover; score = number of queries tagging the technique. Mobile techniques are left
 * out (osquery does not run there). With `v19`, techniques v19 merged into one id are merged
 * here too, their query lists joined.
 */
export function buildLayer(pack: Pack, options: LayerOptions = {}): Record<string, unknown> {
  const v19 = options.v19 ?? false;
  const byId = new Map<string, { technique: Technique; queries: Set<string> }>();
  for (const t of TECHNIQUES.filter((x) => x.matrix === 'enterprise')) {
    const queries = pack.queries.filter((q) => q.techniques.includes(t.technique_id));
    if (queries.length === 0) continue;
    const id = v19 ? t.v19_id : t.technique_id;
    // v19 merges T1562 and T1562.001 into T1685: the first (the parent) names the entry.
    const entry = byId.get(id) ?? { technique: t, queries: new Set<string>() };
    for (const q of queries) entry.queries.add(q.name);
    byId.set(id, entry);
  }
  const techniques = [...byId.values()].map((e) => annotate(e.technique, [...e.queries], v19));
  return {
    name: `${pack.name} pack coverage${v19 ? ' (ATT&CK v19 ids)' : ''}`,
    versions: {
      attack: v19 ? '19' : '18',
      navigator: options.navigatorVersion ?? '5.1.0',
      layer: '4.5',
    },
    domain: 'enterprise-attack',
    description: `Techniques detected by the ${pack.name} osquery pack from Process Termination events. Score: number of queries.`,
    filters: { platforms: ['Linux', 'macOS', 'Windows'] },
    sorting: 3,
    hideDisabled: false,
    techniques,
    gradient: {
      colors: ['#ffffff', '#66b1ff'],
      minValue: 0,
      maxValue: Math.max(1, ...techniques.map((t) => t.score)),
    },
    legendItems: [],
    showTacticRowBackground: false,
    selectTechniquesAcrossTactics: true,
    selectSubtechniquesWithParent: false,
  };
}
