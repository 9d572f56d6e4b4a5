import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadPack } from '../../src/sql/pack';
import { generatePackFiles, loadOsqueryPack } from '../../src/sql/pack-files';
import { checkPackSql, createPackEngine } from '../../src/sql/run-pack';

const definition = loadPack('packs/process-terminations.pack.yml');
const conf = JSON.parse(readFileSync('packs/process-terminations.conf', 'utf8')) as {
  discovery: string[];
  queries: Record<string, Record<string, unknown>>;
};
const fleet = (kind: string) =>
  parseAllDocuments(readFileSync(`packs/fleet/process-terminations.${kind}.yml`, 'utf8')).map(
    (d) => d.toJS() as { apiVersion: string; kind: string; spec: Record<string, unknown> },
  );

describe('generated osquery pack', () => {
  it('has the discovery query and every query with its required keys', () => {
    expect(conf.discovery).toEqual([
      "SELECT 1 FROM osquery_extensions WHERE name = 'process_terminations'",
    ]);
    expect(Object.keys(conf.queries)).toEqual(definition.queries.map((q) => q.name));
    for (const q of Object.values(conf.queries)) {
      expect(Object.keys(q).sort()).toEqual([
        'description',
        'interval',
        'platform',
        'query',
        'removed',
        'value',
      ]);
      expect(q['removed']).toBe(false);
      expect(['linux', 'darwin', 'windows', 'posix', 'all']).toContain(q['platform']);
      expect(q['description']).toMatch(/False positives: .* ATT&CK: T\d{4}/);
    }
  });

  it('compiles every query, policy and discovery statement against the table shapes', () => {
    expect(checkPackSql(definition)).toEqual([]);
    const engine = createPackEngine({ terminations: [], watchlist: [] });
    for (const [name, q] of Object.entries(conf.queries)) {
      expect(() => engine.check(String(q['query'])), name).not.toThrow();
    }
  });

  it('returns technique_id, technique, tactic and v19_id from every query', () => {
    const engine = createPackEngine({ terminations: [], watchlist: [] });
    for (const q of definition.queries) {
      expect(engine.columns(q.sql), q.name).toEqual(
        expect.arrayContaining(['technique_id', 'technique', 'tactic', 'v19_id']),
      );
    }
  });

  it('reads back as a runnable pack with the technique ids of the definition', () => {
    const runnable = loadOsqueryPack('packs/process-terminations.conf');
    expect(runnable.queries.map((q) => [q.name, q.techniques])).toEqual(
      definition.queries.map((q) => [q.name, q.techniques]),
    );
  });
});

describe('generated Fleet YAML', () => {
  it('has current kind: report documents with differential_ignore_removals', () => {
    const docs = fleet('reports');
    expect(docs.map((d) => d.spec['name'])).toEqual(definition.queries.map((q) => q.name));
    for (const d of docs) {
      expect([d.apiVersion, d.kind]).toEqual(['v1', 'report']);
      expect(d.spec).toMatchObject({
        logging: 'differential_ignore_removals',
        automations_enabled: true,
      });
      expect(Object.keys(d.spec)).toEqual(
        expect.arrayContaining(['name', 'description', 'query', 'interval', 'platform']),
      );
      expect(String(d.spec['platform'])).toMatch(
        /^(linux|darwin|windows)(,(linux|darwin|windows))*$/,
      );
    }
  });

  it('has the same documents as kind: query for older Fleet servers', () => {
    const reports = fleet('reports');
    const queries = fleet('queries');
    expect(queries.map((d) => d.kind)).toEqual(reports.map(() => 'query'));
    expect(queries.map((d) => d.spec)).toEqual(reports.map((d) => d.spec));
  });

  it('has a yes/no policy per platform that compiles', () => {
    const docs = fleet('policies');
    expect(docs.map((d) => [d.kind, d.spec['platform']])).toEqual([
      ['policy', 'linux'],
      ['policy', 'windows'],
      ['policy', 'darwin'],
    ]);
    const engine = createPackEngine({ terminations: [], watchlist: [] });
    for (const d of docs) expect(d.spec['resolution']).toBeTruthy();
    for (const d of docs) expect(engine.all(String(d.spec['query']))).toEqual([{ 1: 1 }]);
  });
});

describe('pack gen --check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pt-packs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the committed files current, and a hand-edited one stale', () => {
    cpSync('packs', dir, { recursive: true });
    expect(generatePackFiles(dir, true)).toEqual({ written: [], stale: [] });
    writeFileSync(join(dir, 'process-terminations.conf'), '{}\n');
    expect(generatePackFiles(dir, true).stale).toEqual([join(dir, 'process-terminations.conf')]);
    expect(generatePackFiles(dir).written).toEqual([join(dir, 'process-terminations.conf')]);
    expect(generatePackFiles(dir, true).stale).toEqual([]);
  });
});
