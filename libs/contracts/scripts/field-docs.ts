/**
 * Field descriptions for the JSON Schemas come from the TSDoc on the zod schemas' fields, so TSDoc stays
 * the one source. The TypeScript checker keeps a link from every property of a contract's inferred type
 * to the object-literal field it came from (the same link an editor follows on hover), so walking a
 * contract's JSON Schema beside its inferred type finds the TSDoc of each property, at any depth.
 */
import * as path from 'node:path';
import ts from 'typescript';
import type { JsonSchema } from './json-schema';

const LIB_ROOT = path.resolve(__dirname, '..');

export interface FieldDocs {
  /** Sets `description` on every property of `schema` whose field has TSDoc; returns the same object. */
  describe(schema: JsonSchema, type: string, version: number): JsonSchema;
}

/** Type-checks the library once and indexes every exported contract by `type@version`. */
export function loadFieldDocs(): FieldDocs {
  const program = createProgram();
  const checker = program.getTypeChecker();
  const envelopes = exportedEnvelopeTypes(program, checker);
  return {
    describe(schema, type, version) {
      const envelope = envelopes.get(`${type}@${version}`);
      if (!envelope)
        throw new Error(`no exported contract ${type} v${version} in libs/contracts/src/index.ts`);
      describeNode(checker, schema, envelope);
      return schema;
    },
  };
}

function createProgram(): ts.Program {
  const configPath = path.join(LIB_ROOT, 'tsconfig.lib.json');
  const config = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error(`cannot read ${configPath}`);
  return ts.createProgram({ rootNames: [path.join(LIB_ROOT, 'src/index.ts')], options: config.options });
}

/** `type@version` -> the TypeScript type of the contract's parsed envelope (`z.output` of its schema). */
function exportedEnvelopeTypes(program: ts.Program, checker: ts.TypeChecker): Map<string, ts.Type> {
  const index = program.getSourceFile(path.join(LIB_ROOT, 'src/index.ts'));
  const moduleSymbol = index && checker.getSymbolAtLocation(index);
  if (!moduleSymbol) throw new Error('cannot load libs/contracts/src/index.ts');
  const result = new Map<string, ts.Type>();
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (!(symbol.flags & ts.SymbolFlags.Variable)) continue;
    const contract = checker.getTypeOfSymbol(symbol);
    const type = literalOf(checker, contract, 'type');
    const version = literalOf(checker, contract, 'version');
    const output = propertyType(
      checker,
      propertyType(checker, propertyType(checker, contract, 'schema'), '_zod'),
      'output',
    );
    if (typeof type === 'string' && typeof version === 'number' && output)
      result.set(`${type}@${version}`, output);
  }
  return result;
}

function propertyType(checker: ts.TypeChecker, type: ts.Type | undefined, name: string): ts.Type | undefined {
  const symbol = type && checker.getPropertyOfType(type, name);
  return symbol && checker.getTypeOfSymbol(symbol);
}

function literalOf(checker: ts.TypeChecker, type: ts.Type, name: string): string | number | undefined {
  const literal = propertyType(checker, type, name);
  return literal?.isStringLiteral() || literal?.isNumberLiteral() ? literal.value : undefined;
}

function describeNode(checker: ts.TypeChecker, node: JsonSchema, type: ts.Type): void {
  for (const keyword of ['anyOf', 'oneOf', 'allOf'] as const) {
    const branches = node[keyword];
    if (Array.isArray(branches)) {
      for (const branch of branches as JsonSchema[])
        describeNode(checker, branch, narrow(checker, type, branch));
    }
  }
  const properties = node['properties'] as Record<string, JsonSchema> | undefined;
  for (const [name, child] of Object.entries(properties ?? {})) {
    const symbol = checker.getPropertyOfType(type, name);
    if (!symbol) continue;
    const doc = documentationOf(checker, symbol);
    if (doc) child['description'] = doc;
    describeNode(checker, child, checker.getNonNullableType(checker.getTypeOfSymbol(symbol)));
  }
  const items = node['items'];
  if (items && typeof items === 'object' && checker.isArrayType(type)) {
    const element = checker.getTypeArguments(type as ts.TypeReference)[0];
    if (element) describeNode(checker, items as JsonSchema, checker.getNonNullableType(element));
  }
}

/** The member of a (discriminated) union that a JSON Schema branch stands for, found by its `const` properties. */
function narrow(checker: ts.TypeChecker, type: ts.Type, branch: JsonSchema): ts.Type {
  if (!type.isUnion()) return type;
  const constants = Object.entries((branch['properties'] ?? {}) as Record<string, JsonSchema>).filter(
    ([, child]) => 'const' in child,
  );
  if (constants.length === 0) return type;
  const members = type.types.filter((member) =>
    constants.every(([name, child]) => literalOf(checker, member, name) === child['const']),
  );
  return members.length === 1 && members[0] ? members[0] : type;
}

function documentationOf(checker: ts.TypeChecker, symbol: ts.Symbol): string {
  return ts
    .displayPartsToString(symbol.getDocumentationComment(checker))
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}
