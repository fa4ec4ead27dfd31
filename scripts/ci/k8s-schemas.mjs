// Builds kubeconform's offline schema folder (`<kind>-<group>-<version>.json`, standalone, strict)
// from the Kubernetes OpenAPI v2 document (api/openapi-spec/swagger.json of the k8s.io/kubernetes
// module) and from CustomResourceDefinition YAML files, the way openapi2jsonschema does: every $ref
// inlined, int-or-string and quantities widened to what YAML authors write, and `additionalProperties:
// false` on every object that lists its properties, so a misspelt field is an error.
// Usage: node scripts/ci/k8s-schemas.mjs <out-dir> <swagger.json> [crd.yaml|schema.json ...]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const [outDir, swaggerPath, ...extra] = process.argv.slice(2);
if (!outDir || !swaggerPath) {
  console.error('usage: k8s-schemas.mjs <out-dir> <swagger.json> [crd.yaml|schema.json ...]');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });

const INT_OR_STRING = { oneOf: [{ type: 'string' }, { type: 'integer' }] };
const QUANTITY = { oneOf: [{ type: 'string' }, { type: 'number' }] };

function fileName(group, version, kind) {
  const first = group === '' ? '' : `${group.split('.')[0].toLowerCase()}-`;
  return `${kind.toLowerCase()}-${first}${version.toLowerCase()}.json`;
}

/** Deep copy with refs inlined (a recursive ref becomes `{}`), formats dropped, objects closed. */
function convert(node, definitions, stack = []) {
  if (Array.isArray(node)) return node.map((item) => convert(item, definitions, stack));
  if (node === null || typeof node !== 'object') return node;
  if (typeof node.$ref === 'string') {
    const name = node.$ref.replace('#/definitions/', '');
    if (name === 'io.k8s.apimachinery.pkg.util.intstr.IntOrString') return INT_OR_STRING;
    if (name === 'io.k8s.apimachinery.pkg.api.resource.Quantity') return QUANTITY;
    if (stack.includes(name)) return {};
    const target = definitions[name];
    if (!target) throw new Error(`unresolved $ref ${node.$ref}`);
    return convert(target, definitions, [...stack, name]);
  }
  if (node['x-kubernetes-int-or-string'] === true && node.type === undefined) return INT_OR_STRING;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'format' || key === 'description' || key.startsWith('x-kubernetes-')) continue;
    if (key === 'properties') {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([name, schema]) => [name, convert(schema, definitions, stack)]),
      );
    } else {
      out[key] = convert(value, definitions, stack);
    }
  }
  const open = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (out.properties && out.additionalProperties === undefined && !open) out.additionalProperties = false;
  return out;
}

function write(group, version, kind, schema) {
  const file = join(outDir, fileName(group, version, kind));
  writeFileSync(file, `${JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...schema })}\n`);
  return file;
}

let count = 0;
const swagger = JSON.parse(readFileSync(swaggerPath, 'utf8'));
for (const definition of Object.values(swagger.definitions)) {
  for (const gvk of definition['x-kubernetes-group-version-kind'] ?? []) {
    const schema = convert(definition, swagger.definitions);
    // apiVersion and kind are optional in the API document but always present in a manifest.
    schema.required = [...new Set([...(schema.required ?? []), 'apiVersion', 'kind'])];
    write(gvk.group, gvk.version, gvk.kind, schema);
    count += 1;
  }
}

for (const path of extra) {
  if (path.endsWith('.json')) {
    // Already a schema; its name says which kind it is for (`<kind>-<group>-<version>.json`).
    writeFileSync(join(outDir, basename(path)), readFileSync(path));
    count += 1;
    continue;
  }
  for (const doc of parseAllDocuments(readFileSync(path, 'utf8'))) {
    const crd = doc.toJS();
    if (crd?.kind !== 'CustomResourceDefinition') continue;
    for (const version of crd.spec.versions) {
      const schema = convert(version.schema.openAPIV3Schema, {});
      write(crd.spec.group, version.name, crd.spec.names.kind, schema);
      count += 1;
    }
  }
}
console.log(`wrote ${count} schemas to ${outDir}`);
