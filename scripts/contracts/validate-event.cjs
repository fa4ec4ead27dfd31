#!/usr/bin/env node
// Validates event files against the published JSON Schemas (libs/contracts/generated/json-schema), the
// way a consumer outside this codebase would: ajv and ajv-formats only, no repository TypeScript. Each
// file holds one record value; its envelope's `type` and `version` pick `<type>.v<version>.schema.json`.
// Exit 0 when every file is valid, 1 when any is not, 2 on a usage error.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;

const DEFAULT_SCHEMA_DIR = path.resolve(__dirname, '../../libs/contracts/generated/json-schema');

const USAGE = `usage: validate-event.cjs [--schema-dir DIR] [--expect-type TYPE] [--quiet] --file FILE...
  --schema-dir DIR     where the <type>.v<version>.schema.json files are (default: ${DEFAULT_SCHEMA_DIR})
  --expect-type TYPE   also require every event's envelope type to be TYPE
  --quiet              print failures only
  --file FILE...       the files to validate, each holding one JSON record value`;

function parseArgs(argv) {
  const options = { schemaDir: DEFAULT_SCHEMA_DIR, expectType: null, quiet: false, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--schema-dir') options.schemaDir = argv[++i];
    else if (arg === '--expect-type') options.expectType = argv[++i];
    else if (arg === '--quiet') options.quiet = true;
    else if (arg === '--file') {
      while (i + 1 < argv.length && !argv[i + 1].startsWith('--')) options.files.push(argv[++i]);
    } else if (arg === '--help' || arg === '-h') return null;
    else throw new Error(`unknown argument: ${arg}`);
  }
  if (!options.schemaDir || options.expectType === undefined)
    throw new Error('an option is missing its value');
  if (options.files.length === 0) throw new Error('no --file given');
  return options;
}

/** Loads every published schema once, keyed by `$id`, and finds each event's by its type and version. */
function createValidator(schemaDir) {
  // Strict, as a careful consumer would be, except `strictRequired`: the conditional `required` of
  // if/then names properties declared beside it, which that check does not look at.
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
  addFormats(ajv);
  const byFile = new Map();
  for (const name of fs
    .readdirSync(schemaDir)
    .filter((n) => n.endsWith('.schema.json'))
    .sort()) {
    const schema = JSON.parse(fs.readFileSync(path.join(schemaDir, name), 'utf8'));
    byFile.set(name, ajv.compile(schema));
  }
  if (byFile.size === 0) throw new Error(`no *.schema.json in ${schemaDir}`);
  return (event) => {
    if (typeof event !== 'object' || event === null || Array.isArray(event))
      return ['(root): must be a JSON object'];
    const file = `${event.type}.v${event.version}.schema.json`;
    const validate = byFile.get(file);
    if (!validate)
      return [
        `(root): no published schema for type ${JSON.stringify(event.type)} version ${JSON.stringify(event.version)}`,
      ];
    if (validate(event)) return [];
    return validate.errors.map((e) => `${e.instancePath || '(root)'}: ${e.message}${describeParams(e)}`);
  };
}

function describeParams(error) {
  if (error.keyword === 'additionalProperties') return ` (${error.params.additionalProperty})`;
  if (error.keyword === 'const') return ` (${JSON.stringify(error.params.allowedValue)})`;
  if (error.keyword === 'enum') return ` (${error.params.allowedValues.join(', ')})`;
  return '';
}

function validateFile(validate, file, expectType) {
  let event;
  try {
    event = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    return [`(root): not JSON: ${error.message}`];
  }
  const errors = validate(event);
  if (expectType && event && event.type !== expectType)
    errors.push(`/type: expected ${expectType}, got ${JSON.stringify(event.type)}`);
  return errors;
}

function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${error.message}\n${USAGE}`);
    return 2;
  }
  if (!options) {
    console.log(USAGE);
    return 0;
  }
  const validate = createValidator(options.schemaDir);
  let failed = 0;
  for (const file of options.files) {
    const errors = validateFile(validate, file, options.expectType);
    if (errors.length === 0) {
      if (!options.quiet) console.log(`ok    ${file}`);
      continue;
    }
    failed++;
    console.log(`FAIL  ${file}\n${errors.map((e) => `      ${e}`).join('\n')}`);
  }
  console.log(
    `validated ${options.files.length} file(s): ${options.files.length - failed} valid, ${failed} invalid`,
  );
  return failed === 0 ? 0 : 1;
}

process.exitCode = main();
