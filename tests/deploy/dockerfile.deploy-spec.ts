/**
 * The shared Dockerfile, read statically (no Docker engine here): multi-stage, production
 * dependencies only in the final image, a non-root user, and entry points that exist in the build
 * output of every service.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
const APPS = ['executor', 'order-monitor', 'position-monitor', 'data-quality'];

interface Stage {
  readonly from: string;
  readonly name: string | undefined;
  readonly instructions: { op: string; args: string }[];
}

/** Instructions per stage, continuation lines joined, comments dropped. */
function parseDockerfile(text: string): Stage[] {
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim());
  const stages: Stage[] = [];
  for (const line of lines) {
    if (line === '' || line.startsWith('#')) continue;
    const [op = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (op.toUpperCase() === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      stages.push({ from: match?.[1] ?? args, name: match?.[2], instructions: [] });
    } else {
      stages.at(-1)?.instructions.push({ op: op.toUpperCase(), args });
    }
  }
  return stages;
}

describe('deploy/docker/Dockerfile', () => {
  const text = readFileSync(join(ROOT, 'deploy/docker/Dockerfile'), 'utf8');
  const stages = parseDockerfile(text);
  const runtime = stages.at(-1)!;
  const stage = (name: string) => stages.find((s) => s.name === name);

  it('is multi-stage, the last stage being the runtime', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(runtime.name).toBe('runtime');
  });

  it('runs as a non-root user in the final image', () => {
    const users = runtime.instructions.filter((i) => i.op === 'USER').map((i) => i.args);
    expect(users).toHaveLength(1);
    const [user = ''] = users[0]!.split(':');
    expect(['root', '0', '']).not.toContain(user);
    expect(user).toBe('1000'); // the chart's runAsUser
  });

  it('copies node_modules only from the stage that installed production dependencies', () => {
    const copies = runtime.instructions.filter((i) => i.op === 'COPY');
    const modules = copies.filter((c) => c.args.includes('node_modules'));
    expect(modules).toHaveLength(1);
    const source = /--from=(\S+)/.exec(modules[0]!.args)?.[1];
    const installs = stage(source!)!.instructions.filter((i) => i.op === 'RUN' && i.args.includes('pnpm install'));
    expect(installs.map((i) => i.args)).toEqual([expect.stringMatching(/--frozen-lockfile --prod\b/)]);
    // Nothing else the runtime copies comes with dependencies or sources.
    for (const copy of copies.filter((c) => c !== modules[0])) {
      expect(copy.args).toMatch(/--from=/);
      expect(copy.args).not.toMatch(/\s\.\s|\/src\s/);
    }
  });

  it('starts the service with node main.js and carries migrate.js for the hook Job', () => {
    expect(runtime.instructions.filter((i) => i.op === 'ENTRYPOINT').map((i) => i.args)).toEqual(['["node"]']);
    expect(runtime.instructions.filter((i) => i.op === 'CMD').map((i) => i.args)).toEqual(['["main.js"]']);
    const build = stage('build')!.instructions.map((i) => i.args).join('\n');
    expect(build).toContain(`require('./apps/%s/src/main.js')`);
    expect(build).toContain(`require('./apps/%s/src/migrate.js')`);
    expect(build).toContain(`require('./apps/%s/src/provision-topics.js')`);
    expect(runtime.instructions).toContainEqual({ op: 'ENV', args: 'NODE_ENV=production' });
  });

  it.each(APPS)('%s: has the main and migrate entry points the image runs', (app) => {
    expect(existsSync(join(ROOT, `apps/${app}/src/main.ts`))).toBe(true);
    expect(existsSync(join(ROOT, `apps/${app}/src/migrate.ts`))).toBe(true);
    // The chart's topic-provisioning Job runs `provision-topics.js` from the executor image.
    expect(existsSync(join(ROOT, `apps/${app}/src/provision-topics.ts`))).toBe(app === 'executor');
    const project = JSON.parse(readFileSync(join(ROOT, `apps/${app}/project.json`), 'utf8')) as {
      targets: { build: { outputs: string[] }; migrate: { command: string } };
    };
    // The Dockerfile copies dist/apps/<app> and requires apps/<app>/src/{main,migrate}.js inside it.
    expect(project.targets.build.outputs).toEqual([`{workspaceRoot}/dist/apps/${app}`]);
    expect(project.targets.migrate.command).toBe(`node dist/apps/${app}/apps/${app}/src/migrate.js`);
  });

  it('keeps dependencies, build output and local state out of the build context', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['.git', 'node_modules', '**/node_modules', 'dist', '.stack']));
  });
});
