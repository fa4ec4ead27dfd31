/**
 * Writes the Helm chart's topic list (deploy/helm/trading/files/topics.json) from the one topic
 * declaration in libs/contracts; `--check` exits 1 when the checked-in file is stale.
 * Usage: pnpm exec tsx scripts/ci/chart-topics.ts [--check]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_TOPICS, deadLetterTopicOf } from '../../libs/contracts/src/index';

const target = join(__dirname, '../../deploy/helm/trading/files/topics.json');

const document = {
  $comment: 'Generated from libs/contracts/src/topics.ts by scripts/ci/chart-topics.ts; do not edit.',
  topics: ALL_TOPICS.map((t) => ({
    name: t.name,
    deadLetter: deadLetterTopicOf(t.name),
    partitions: t.partitions,
    retentionMs: t.retentionMs,
  })),
};
const text = `${JSON.stringify(document, null, 2)}\n`;

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== text) {
    console.error(`${target} is stale: run \`pnpm exec tsx scripts/ci/chart-topics.ts\` and commit it`);
    process.exit(1);
  }
  console.log('chart topics up to date');
} else {
  writeFileSync(target, text);
  console.log(`wrote ${document.topics.length} topics to ${target}`);
}
