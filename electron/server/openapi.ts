import { z } from 'zod';
import { api, type MethodName } from '../../shared/api/table';
import { events } from '../../shared/api/events';
import { errorStatus } from '../../shared/errors';

// OpenAPI 3.1 generated from the one API table: nothing here lists routes by hand except the
// four operational endpoints that live outside /api/v1.

type Json = Record<string, unknown>;

export const pathParams = (path: string): string[] => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

function schemaOf(s: z.ZodType, io: 'input' | 'output'): Json {
  const out = z.toJSONSchema(s, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Json;
  delete out.$schema;
  return out;
}

const errorEnvelope: Json = {
  type: 'object',
  required: ['ok', 'error'],
  properties: {
    ok: { const: false },
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string', enum: Object.keys(errorStatus) }, message: { type: 'string' }, details: {} },
    },
  },
};
const okEnvelope = (data: Json): Json => ({ type: 'object', required: ['ok', 'data'], properties: { ok: { const: true }, data } });
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

function operation(name: MethodName): [string, string, Json] {
  const def = api[name];
  const params = pathParams(def.http.path);
  const input = schemaOf(def.input, 'input');
  const props = { ...((input.properties as Json | undefined) ?? {}) };
  const required = new Set((input.required as string[] | undefined) ?? []);
  const parameters: Json[] = params.map((p) => ({ name: p, in: 'path', required: true, schema: props[p] ?? { type: 'string' } }));
  for (const p of params) {
    delete props[p];
    required.delete(p);
  }
  const op: Json = {
    operationId: name,
    summary: def.summary,
    tags: [name.split('.')[0]],
    security: [{ bearer: [] }],
    'x-kiln-scope': def.scope,
    parameters,
    responses: {
      [String(def.http.status ?? 200)]: { description: 'Success', content: { 'application/json': { schema: okEnvelope(schemaOf(def.output, 'output')) } } },
      '400': errorResponse('Invalid input (VALIDATION_FAILED with field errors)'),
      '401': errorResponse('Missing or unknown token'),
      '403': errorResponse('Token lacks the scope'),
      '404': errorResponse('Not found in this workspace'),
    },
  };
  if (def.http.method === 'GET' || def.http.method === 'DELETE') {
    for (const [q, schema] of Object.entries(props)) parameters.push({ name: q, in: 'query', required: required.has(q), schema });
  } else {
    const body: Json = { ...input, properties: props };
    if (required.size > 0) body.required = [...required];
    else delete body.required;
    op.requestBody = { required: required.size > 0, content: { 'application/json': { schema: body } } };
  }
  return [`/api/v1${def.http.path}`, def.http.method.toLowerCase(), op];
}

export function buildOpenApi(version: string): Json {
  const paths: Record<string, Json> = {
    '/health': {
      get: { operationId: 'health', summary: 'Liveness (no token needed)', security: [], responses: { '200': { description: 'Alive' } } },
    },
    '/ready': {
      get: { operationId: 'ready', summary: 'Readiness: database, secret store, dispatcher', security: [{ bearer: [] }], responses: { '200': { description: 'Ready' }, '503': errorResponse('Not ready') } },
    },
    '/metrics': {
      get: { operationId: 'metrics', summary: 'Prometheus metrics', security: [{ bearer: [] }], responses: { '200': { description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } } } },
    },
    '/api/v1/events': {
      get: {
        operationId: 'events',
        summary: `Server-sent events of this workspace: ${Object.keys(events).join(', ')}`,
        security: [{ bearer: [] }],
        responses: { '200': { description: 'text/event-stream', content: { 'text/event-stream': { schema: { type: 'string' } } } } },
      },
    },
  };
  for (const name of Object.keys(api) as MethodName[]) {
    const [path, verb, op] = operation(name);
    paths[path] = { ...(paths[path] ?? {}), [verb]: op };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Kiln API', version, description: 'Email warmup & deliverability manager. Every call but /health, /ready (ready or not, without details) and this document needs `Authorization: Bearer <token>`.' },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: errorEnvelope },
    },
  };
}
