/**
 * The tables of libs/contracts/README.md that restate code (topics, headers) are generated between
 * `<!-- generated:NAME -->` and `<!-- /generated:NAME -->` markers, so the README cannot drift from
 * topics.ts and headers.ts; the prose around them is written by hand.
 */
import { DEAD_LETTER_HEADERS, EVENT_HEADERS, type HeaderDeclaration } from '../src/headers';
import { deadLetterTopicOf, type TopicDeclaration } from '../src/topics';

const DAY_MS = 24 * 60 * 60 * 1000;

export function topicTable(topics: readonly TopicDeclaration[]): string {
  const rows = topics.map((t) =>
    [
      `\`${t.name}\``,
      t.key.description,
      String(t.partitions),
      retention(t.retentionMs),
      t.contracts.map((c) => `\`${c.type}\` v${c.version}`).join(', '),
      t.producer ?? 'outside the platform',
      t.consumers.join(', ') || 'none yet',
    ].join(' | '),
  );
  return table(['Topic', 'Key', 'Partitions', 'Retention', 'Messages', 'Producer', 'Consumers'], rows).concat(
    `\nEvery topic has a dead-letter topic beside it (${topics
      .map((t) => `\`${deadLetterTopicOf(t.name)}\``)
      .join(', ')}) with the same partitions and retention.\n`,
  );
}

export function headerTable(): string {
  const rows = (kind: string, headers: Record<string, HeaderDeclaration>): string[] =>
    Object.values(headers).map((h) =>
      [`\`${h.name}\``, kind, h.required ? 'always' : 'optional', h.description].join(' | '),
    );
  return table(
    ['Header', 'On', 'Present', 'Meaning'],
    [...rows('every event', EVENT_HEADERS), ...rows('dead letters', DEAD_LETTER_HEADERS)],
  );
}

/** `readme` with the section between the markers of `name` replaced by `content`. */
export function replaceSection(readme: string, name: string, content: string): string {
  const start = `<!-- generated:${name} -->`;
  const end = `<!-- /generated:${name} -->`;
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from === -1 || to < from) throw new Error(`README.md lacks the ${start} ... ${end} markers`);
  return `${readme.slice(0, from + start.length)}\n${content}${readme.slice(to)}`;
}

function table(header: string[], rows: string[]): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => ' --- |').join('')}`,
    ...rows.map((r) => `| ${r} |`),
  ]
    .join('\n')
    .concat('\n');
}

function retention(ms: number): string {
  return ms % DAY_MS === 0 ? `${ms / DAY_MS} days` : `${ms} ms`;
}
