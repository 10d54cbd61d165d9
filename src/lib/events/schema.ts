/**
 * A small schema language for event payloads: enough to validate every generated value at run
 * time with an error that names the field, and to print the contract in `events show`. Written
 * by hand rather than pulled from a JSON-Schema library: the payloads are flat and few.
 */

export type Schema =
  | { readonly kind: 'string'; readonly pattern?: RegExp; readonly format?: string }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'integer'; readonly min?: number; readonly max?: number }
  | { readonly kind: 'number'; readonly min?: number; readonly max?: number }
  | { readonly kind: 'boolean' }
  | ObjectSchema
  | { readonly kind: 'array'; readonly items: Schema; readonly minItems?: number }
  | { readonly kind: 'nullable'; readonly of: Schema };

export interface Field {
  readonly schema: Schema;
  readonly description: string;
  readonly optional?: boolean;
}

export interface ObjectSchema {
  readonly kind: 'object';
  /** A name for the printed contract, e.g. "Address". */
  readonly name?: string;
  readonly fields: Readonly<Record<string, Field>>;
}

/** One line of the printed contract. */
export interface FieldInfo {
  /** Dotted path; array elements as `items[].sku`. */
  readonly path: string;
  readonly type: string;
  readonly required: boolean;
  readonly description: string;
}

export class EventValidationError extends Error {
  constructor(
    /** The event type (or schema) being checked, e.g. "checkout.item-added (sourcing)". */
    readonly subject: string,
    /** The offending field's path, e.g. "items[2].quantity"; "" for the value itself. */
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${subject}: ${field ? `field "${field}"` : 'value'} ${problem}`);
    this.name = 'EventValidationError';
  }
}

const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Builders, so the catalogue reads like a table. */
export const s = {
  string: (format?: string, pattern?: RegExp): Schema => ({ kind: 'string', format, pattern }),
  /** An id with a fixed prefix and eight hex digits, e.g. `user-1a2b3c4d`. */
  id: (prefix: string): Schema => ({
    kind: 'string',
    format: `${prefix}-<8 hex>`,
    pattern: new RegExp(`^${prefix}-[0-9a-f]{8}$`),
  }),
  /** RFC 3339 in UTC with milliseconds, exactly as Date.prototype.toISOString writes it. */
  time: (): Schema => ({ kind: 'string', format: 'RFC 3339 UTC', pattern: TIME }),
  enum: (values: readonly string[]): Schema => ({ kind: 'enum', values }),
  int: (min?: number, max?: number): Schema => ({ kind: 'integer', min, max }),
  number: (min?: number, max?: number): Schema => ({ kind: 'number', min, max }),
  boolean: (): Schema => ({ kind: 'boolean' }),
  object: (fields: Record<string, Field>, name?: string): ObjectSchema => ({ kind: 'object', fields, name }),
  array: (items: Schema, minItems?: number): Schema => ({ kind: 'array', items, minItems }),
  nullable: (of: Schema): Schema => ({ kind: 'nullable', of }),
};

export function req(schema: Schema, description: string): Field {
  return { schema, description };
}

export function opt(schema: Schema, description: string): Field {
  return { schema, description, optional: true };
}

/**
 * Throws EventValidationError at the first mismatch. Objects are closed: a field the schema does
 * not list is an error, so the generator cannot drift from its published contract unnoticed.
 */
export function validate(schema: Schema, value: unknown, subject: string, path = ''): void {
  const fail = (problem: string): never => {
    throw new EventValidationError(subject, path, `${problem}, got ${show(value)}`);
  };
  switch (schema.kind) {
    case 'string':
      if (typeof value !== 'string') fail('must be a string');
      if (schema.pattern && !schema.pattern.test(value as string))
        fail(`must be ${schema.format ?? `a string matching ${schema.pattern}`}`);
      return;
    case 'enum':
      if (typeof value !== 'string' || !schema.values.includes(value))
        fail(`must be one of ${schema.values.join(', ')}`);
      return;
    case 'integer':
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) fail(`must be a finite ${schema.kind}`);
      if (schema.kind === 'integer' && !Number.isSafeInteger(value)) fail('must be an integer');
      if (schema.min !== undefined && (value as number) < schema.min) fail(`must be >= ${schema.min}`);
      if (schema.max !== undefined && (value as number) > schema.max) fail(`must be <= ${schema.max}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') fail('must be true or false');
      return;
    case 'nullable':
      if (value !== null) validate(schema.of, value, subject, path);
      return;
    case 'array': {
      if (!Array.isArray(value)) return fail('must be an array');
      if (schema.minItems !== undefined && value.length < schema.minItems)
        fail(`must have at least ${schema.minItems} item(s)`);
      value.forEach((v, i) => validate(schema.items, v, subject, `${path}[${i}]`));
      return;
    }
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        return fail('must be an object');
      const obj = value as Record<string, unknown>;
      for (const [name, field] of Object.entries(schema.fields)) {
        const p = path ? `${path}.${name}` : name;
        if (obj[name] === undefined) {
          if (!field.optional) throw new EventValidationError(subject, p, 'is required but missing');
          continue;
        }
        validate(field.schema, obj[name], subject, p);
      }
      for (const name of Object.keys(obj)) {
        if (!(name in schema.fields))
          throw new EventValidationError(
            subject,
            path ? `${path}.${name}` : name,
            'is not part of the schema',
          );
      }
      return;
    }
  }
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The contract as a flat list of fields, nested objects and arrays expanded with dotted paths. */
export function describeSchema(schema: ObjectSchema, prefix = ''): FieldInfo[] {
  const out: FieldInfo[] = [];
  for (const [name, field] of Object.entries(schema.fields)) {
    const path = prefix ? `${prefix}.${name}` : name;
    out.push({
      path,
      type: typeName(field.schema),
      required: !field.optional,
      description: field.description,
    });
    const inner = unwrap(field.schema);
    if (inner.kind === 'object') out.push(...describeSchema(inner, path));
    if (inner.kind === 'array') {
      const item = unwrap(inner.items);
      if (item.kind === 'object') out.push(...describeSchema(item, `${path}[]`));
    }
  }
  return out;
}

function unwrap(schema: Schema): Schema {
  return schema.kind === 'nullable' ? unwrap(schema.of) : schema;
}

export function typeName(schema: Schema): string {
  switch (schema.kind) {
    case 'string':
      return schema.format ? `string (${schema.format})` : 'string';
    case 'enum':
      return schema.values.map((v) => JSON.stringify(v)).join(' | ');
    case 'integer':
    case 'number': {
      const range =
        schema.min !== undefined && schema.max !== undefined
          ? ` ${schema.min}..${schema.max}`
          : schema.min !== undefined
            ? ` >= ${schema.min}`
            : schema.max !== undefined
              ? ` <= ${schema.max}`
              : '';
      return `${schema.kind}${range}`;
    }
    case 'boolean':
      return 'boolean';
    case 'object':
      return schema.name ?? 'object';
    case 'array':
      return `array of ${typeName(schema.items)}`;
    case 'nullable':
      return `${typeName(schema.of)} | null`;
  }
}
