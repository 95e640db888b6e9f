import type { ConfigError, Diagnostic, Severity } from '../../util/diagnostics.js';
import type { LintRule } from '../types.js';
import { artifactUri, baseUri } from './paths.js';

/** The subset of SARIF 2.1.0 featherd writes. */
export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: SarifRun[];
}

export interface SarifRun {
  tool: { driver: { name: string; version?: string; informationUri?: string; rules: SarifRule[] } };
  originalUriBaseIds?: Record<string, { uri: string }>;
  results: SarifResult[];
}

export interface SarifRule {
  id: string;
  shortDescription: { text: string };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex?: number;
  level: 'error' | 'warning' | 'note';
  message: { text: string };
  locations?: {
    physicalLocation: {
      artifactLocation: { uri: string; uriBaseId?: string };
      region: { startLine: number; startColumn: number };
    };
  }[];
}

/** Rules that are not lint rules but may appear in results. */
const BUILTIN_RULES: SarifRule[] = [
  { id: 'httpd', shortDescription: { text: 'A warning httpd itself prints at startup' } },
  { id: 'syntax', shortDescription: { text: 'A configuration error: httpd refuses to start' } },
];

function level(s: Severity): SarifResult['level'] {
  return s;
}

/** A SARIF 2.1.0 log (for stdout): every lint rule in `tool.driver.rules`, every finding as a result. */
export function formatSarif(
  diags: Diagnostic[],
  error: ConfigError | undefined,
  rules: LintRule[],
  cwd: string,
  tool: { name: string; version: string },
): string {
  const sarifRules: SarifRule[] = [
    ...BUILTIN_RULES,
    ...rules.map((r) => ({ id: r.id, shortDescription: { text: r.description } })),
  ];
  const index = new Map(sarifRules.map((r, i) => [r.id, i]));
  const toResult = (ruleId: string, sev: Severity, message: string, loc: Diagnostic['loc']): SarifResult => {
    const r: SarifResult = { ruleId, level: level(sev), message: { text: message } };
    const i = index.get(ruleId);
    if (i !== undefined) r.ruleIndex = i;
    if (loc) {
      r.locations = [
        {
          physicalLocation: {
            artifactLocation: artifactUri(loc.file, cwd),
            region: { startLine: Math.max(1, loc.line), startColumn: Math.max(1, loc.column) },
          },
        },
      ];
    }
    return r;
  };
  const results = diags.map((d) => toResult(d.rule, d.severity, d.code ? `${d.code}: ${d.message}` : d.message, d.loc));
  if (error) {
    results.push(toResult('syntax', 'error', error.hint ? `${error.message} (${error.hint})` : error.message, error.loc));
  }
  const log: SarifLog = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: tool.name, version: tool.version, rules: sarifRules } },
        originalUriBaseIds: { SRCROOT: { uri: baseUri(cwd) } },
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
