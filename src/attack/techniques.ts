/**
 * ATT&CK techniques that list Process Termination (data component DC0033) as a way to detect
 * them, as of ATT&CK v18, with the identifier each carries in v19. v19 split the Defense
 * Evasion tactic into Stealth and Defense Impairment and moved T1562 and T1562.001 to T1685
 * "Disable or Modify Tools" (Defense Impairment); the other three keep their ids and tactics.
 * Order: enterprise techniques by id, then mobile.
 */
export interface Technique {
  readonly technique_id: string;
  readonly technique: string;
  /** Tactic as of ATT&CK v18. */
  readonly tactic: string;
  readonly matrix: 'enterprise' | 'mobile';
  /** ATT&CK platforms, comma-separated, plus a note when osquery cannot run there. */
  readonly platforms: string;
  readonly url: string;
  readonly v19_id: string;
  /** Tactic in ATT&CK v19 (differs from `tactic` only where v19 moved the technique). */
  readonly v19_tactic: string;
  readonly description: string;
}

const URL = 'https://attack.mitre.org/techniques/';

export const TECHNIQUES: readonly Technique[] = [
  {
    technique_id: 'T1489',
    technique: 'Service Stop',
    tactic: 'Impact',
    matrix: 'enterprise',
    platforms: 'Linux, macOS, Windows, ESXi',
    url: `${URL}T1489/`,
    v19_id: 'T1489',
    v19_tactic: 'Impact',
    description:
      'Stopping services or ending many processes, often backup and database services before ransomware encrypts their files',
  },
  {
    technique_id: 'T1562',
    technique: 'Impair Defenses',
    tactic: 'Defense Evasion',
    matrix: 'enterprise',
    platforms:
      'Linux, macOS, Windows, Containers, IaaS, Network, Office Suite, Identity Provider, ESXi',
    url: `${URL}T1562/`,
    v19_id: 'T1685',
    v19_tactic: 'Defense Impairment',
    description:
      'Hindering defensive tools in general; a security or logging agent ending abnormally without a known cause',
  },
  {
    technique_id: 'T1562.001',
    technique: 'Impair Defenses: Disable or Modify Tools',
    tactic: 'Defense Evasion',
    matrix: 'enterprise',
    platforms: 'Linux, macOS, Windows, Containers, IaaS, ESXi',
    url: `${URL}T1562/001/`,
    v19_id: 'T1685',
    v19_tactic: 'Defense Impairment',
    description:
      'Killing or stopping security and logging agents (EDR, antivirus, audit daemons, log shippers) so activity goes unseen',
  },
  {
    technique_id: 'T1668',
    technique: 'Exclusive Control',
    tactic: 'Persistence',
    matrix: 'enterprise',
    platforms: 'Linux, macOS, Windows',
    url: `${URL}T1668/`,
    v19_id: 'T1668',
    v19_tactic: 'Persistence',
    description:
      'Keeping a compromised host to oneself, e.g. a cryptominer killing competing miners found on the same host',
  },
  {
    technique_id: 'T1629',
    technique: 'Impair Defenses',
    tactic: 'Defense Evasion',
    matrix: 'mobile',
    platforms: 'Android, iOS (no osquery platform: listed for completeness, no query can cover it)',
    url: `${URL}T1629/`,
    v19_id: 'T1629',
    v19_tactic: 'Defense Evasion',
    description:
      'The mobile matrix counterpart: disabling security software on a phone; osquery does not run there',
  },
];

/** The technique with this id, or undefined. */
export function findTechnique(id: string): Technique | undefined {
  return TECHNIQUES.find((t) => t.technique_id === id);
}
