#!/usr/bin/env node
// Writes docs/openapi/<name>.json from tools/openapi/<name>.mjs (routes, parameters, security,
// examples) and, for a vendor, fixtures/<vendor>/schema.json (the response bodies the drift check
// already holds), so the documents follow the schemas instead of repeating them.
//   node tools/openapi/generate.mjs           rewrite every document
//   node tools/openapi/generate.mjs --check   exit 1, naming them, when a committed one is stale
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DOCUMENTS = ['itnio', 'yunfu', 'huawei', 'aliyun', 'admin'];

const readJson = (rel) => JSON.parse(readFileSync(join(root, rel), 'utf8'));

function fail(name, why) {
  throw new Error(`${name}: ${why}`);
}

// The drift schemas are JSON Schema with OpenAPI 3.0's `nullable`; a few members still say
// null the JSON Schema way (a "null" type, or a {"type":"null"} branch). OpenAPI 3.0 has no null
// type, so those become `nullable`, and definitions move to components.
export function toOas30(s) {
  if (Array.isArray(s)) return s.map(toOas30);
  if (!s || typeof s !== 'object') return s;
  const out = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === '$ref') out.$ref = v.replace('#/definitions/', '#/components/schemas/');
    else if (k === 'properties')
      out.properties = Object.fromEntries(Object.entries(v).map(([p, ps]) => [p, toOas30(ps)]));
    else if (['items', 'additionalProperties', 'not'].includes(k)) out[k] = toOas30(v);
    else if (['anyOf', 'oneOf', 'allOf'].includes(k)) {
      const branches = v.filter((b) => b.type !== 'null');
      if (branches.length !== v.length) out.nullable = true;
      out[k] = branches.map(toOas30);
    } else if (k === 'type' && Array.isArray(v)) {
      const types = v.filter((t) => t !== 'null');
      if (types.length !== v.length) out.nullable = true;
      if (types.length === 1) out.type = types[0];
      else out.anyOf = types.map((t) => ({ type: t }));
    } else if (k === 'type' && v === 'null') {
      fail('schema', 'a bare null type outside anyOf has no OpenAPI 3.0 form');
    } else out[k] = v;
  }
  if (out.nullable && Array.isArray(out.enum) && !out.enum.includes(null)) out.enum.push(null);
  return out;
}

const segments = (p) => p.split('/').filter((x, i) => i > 0 || x !== '');

// A schema.json path uses * for one segment; a route's {name} is any segment.
function pathMatches(schemaPath, template) {
  const a = segments(schemaPath);
  const b = segments(template.replace(/\{[^}]+\}/g, '*'));
  return a.length === b.length && a.every((seg, i) => seg === '*' || seg === b[i]);
}

function example(rel) {
  const ex = readJson(rel);
  return { summary: `the vendor's example (${rel})`, value: ex };
}

function content(types, schema, examples) {
  const media = {};
  for (const type of types) {
    media[type] = { schema };
    if (examples && Object.keys(examples).length) media[type].examples = examples;
  }
  return media;
}

// Each status's bodies: every schema.json answer of the route, plus the route's own.
function responses(name, route, schemaAnswers, used) {
  const byStatus = new Map();
  schemaAnswers.forEach((answer, i) => {
    if (answer.method && answer.method.toLowerCase() !== route.method) return;
    if (!pathMatches(answer.path, route.path)) return;
    used.add(i);
    for (const status of answer.status) {
      const entry = byStatus.get(String(status)) || { names: [], schemas: [] };
      entry.names.push(answer.name);
      entry.schemas.push(toOas30(answer.schema));
      byStatus.set(String(status), entry);
    }
  });
  const out = {};
  const own = route.responses || {};
  const statuses = [...new Set([...byStatus.keys(), ...Object.keys(own)])].sort();
  for (const status of statuses) {
    const fromSchema = byStatus.get(status);
    const mine = own[status] || {};
    if (mine.$ref && !fromSchema) {
      out[status] = mine;
      continue;
    }
    const examples = Object.fromEntries(
      Object.entries(mine.examples || {}).map(([k, rel]) => [k, example(rel)]),
    );
    const response = {
      description: mine.description || fromSchema.names.join('; '),
    };
    if (mine.headers) response.headers = mine.headers;
    if (mine.content) response.content = mine.content;
    else if (fromSchema) {
      const schema =
        fromSchema.schemas.length === 1 ? fromSchema.schemas[0] : { anyOf: fromSchema.schemas };
      response.content = content(route.produces || ['application/json'], schema, examples);
    } else if (mine.schema)
      response.content = content(mine.produces || route.produces || ['application/json'],
                                 mine.schema, examples);
    if (mine.extraContent) response.content = { ...(response.content || {}), ...mine.extraContent };
    out[status] = response;
  }
  if (!statuses.length) fail(name, `${route.method} ${route.path} documents no response`);
  return out;
}

function headOf(get) {
  const head = { ...get, responses: {} };
  if (head.operationId) head.operationId += 'Head';
  head.summary = `${get.summary} (HEAD: the same answer without its body)`;
  for (const [status, r] of Object.entries(get.responses)) {
    head.responses[status] = { description: r.description };
    if (r.headers) head.responses[status].headers = r.headers;
  }
  return head;
}

export function build(name) {
  const spec = readJson(`tools/openapi/${name}.json`);
  const schemaFile = spec['x-schema'];
  const schema = schemaFile ? readJson(schemaFile) : { definitions: {}, responses: [] };
  const answers = schema.responses || [];
  const used = new Set();
  const paths = {};
  for (const route of spec.routes) {
    const op = {};
    for (const k of ['operationId', 'summary', 'description', 'tags', 'security', 'parameters',
                     'requestBody', 'callbacks', 'deprecated']) {
      if (route[k] !== undefined) op[k] = route[k];
    }
    if (op.requestBody && route.requestExamples) {
      const examples = Object.fromEntries(
        Object.entries(route.requestExamples).map(([k, rel]) => [k, example(rel)]),
      );
      for (const media of Object.values(op.requestBody.content)) media.examples = examples;
    }
    for (const k of Object.keys(route).filter((k) => k.startsWith('x-'))) op[k] = route[k];
    op.responses = responses(name, route, answers, used);
    paths[route.path] = paths[route.path] || {};
    if (paths[route.path][route.method]) fail(name, `${route.method} ${route.path} twice`);
    paths[route.path][route.method] = op;
    // HEAD: the GET's answers without their bodies, as the framework serves it.
    if (route.head) paths[route.path].head = headOf(op);
  }
  answers.forEach((answer, i) => {
    // An answer for one method names a route the document must have; one without a method
    // (a framework's answer to any path under a prefix) may match none.
    if (answer.method && !used.has(i))
      fail(name, `${schemaFile} answers ${answer.method} ${answer.path}, no route describes it`);
  });
  const doc = {
    openapi: '3.0.3',
    info: spec.info,
    servers: spec.servers,
    tags: spec.tags,
    paths,
    components: {
      ...(spec.components || {}),
      schemas: {
        ...Object.fromEntries(
          Object.entries(schema.definitions || {}).map(([k, v]) => [k, toOas30(v)]),
        ),
        ...((spec.components || {}).schemas || {}),
      },
    },
  };
  if (spec.security) doc.security = spec.security;
  if (!doc.tags) delete doc.tags;
  if (schemaFile) doc['x-schema-source'] = schemaFile;
  return `${JSON.stringify(doc, null, 2)}\n`;
}

function main() {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const name of DOCUMENTS) {
    const text = build(name);
    const rel = `docs/openapi/${name}.json`;
    const path = join(root, rel);
    if (check) {
      if (!existsSync(path) || readFileSync(path, 'utf8') !== text) {
        console.error(`${rel} is stale: run node tools/openapi/generate.mjs and commit it`);
        stale++;
      }
    } else {
      writeFileSync(path, text);
      console.log(`wrote ${rel}`);
    }
  }
  process.exit(stale ? 1 : 0);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
