/**
 * Writes the JSON Schemas and the AsyncAPI document under libs/contracts/generated, and removes any
 * generated file no contract produces any more. With `--check` it writes nothing and exits 1 naming
 * every stale, missing or orphaned file, so CI fails when someone changed a contract and forgot to
 * regenerate.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildArtefacts, GENERATED_DIR, LIB_ROOT, type Artefact } from './artefacts';

export interface Drift {
  readonly missing: string[];
  readonly stale: string[];
  readonly orphaned: string[];
}

export function findDrift(artefacts: readonly Artefact[]): Drift {
  const expected = new Set(artefacts.map((a) => a.path));
  const drift: Drift = { missing: [], stale: [], orphaned: [] };
  for (const artefact of artefacts) {
    const file = path.join(LIB_ROOT, artefact.path);
    if (!existsSync(file)) drift.missing.push(artefact.path);
    else if (readFileSync(file, 'utf8') !== artefact.content) drift.stale.push(artefact.path);
  }
  drift.orphaned.push(...generatedFiles().filter((p) => !expected.has(p)));
  return drift;
}

function generatedFiles(): string[] {
  const root = path.join(LIB_ROOT, GENERATED_DIR);
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) =>
      path.relative(LIB_ROOT, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'),
    )
    .sort();
}

function write(artefacts: readonly Artefact[], orphaned: readonly string[]): void {
  for (const artefact of artefacts) {
    const file = path.join(LIB_ROOT, artefact.path);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, artefact.content);
  }
  for (const orphan of orphaned) rmSync(path.join(LIB_ROOT, orphan));
}

function main(): void {
  const check = process.argv.includes('--check');
  const artefacts = buildArtefacts();
  const drift = findDrift(artefacts);
  const problems = [
    ...drift.missing.map((p) => `missing:  libs/contracts/${p}`),
    ...drift.stale.map((p) => `stale:    libs/contracts/${p}`),
    ...drift.orphaned.map((p) => `orphaned: libs/contracts/${p}`),
  ];
  if (check) {
    if (problems.length > 0) {
      console.error(
        `Generated contract artefacts are out of date; run \`pnpm contracts:generate\`:\n${problems.join('\n')}`,
      );
      process.exit(1);
    }
    console.log(`contracts: ${artefacts.length} generated files are up to date`);
    return;
  }
  write(artefacts, drift.orphaned);
  console.log(
    problems.length > 0 ? `contracts: updated\n${problems.join('\n')}` : 'contracts: nothing to update',
  );
}

if (require.main === module) main();
