import { describe, expect, it } from 'vitest';
import { EbError, ExitCode } from '../../../src/lib/cli/errors.js';
import { buildFilter, type FilterSpec, parseHeaderFlags } from '../../../src/lib/records/filter.js';
import type { RecordData } from '../../../src/lib/records/jsonl.js';

const txt = (s: string) => Buffer.from(s, 'utf8');

function rec(
  key: string | null,
  value: string | Buffer | null,
  headers: RecordData['headers'] = {},
): RecordData {
  return {
    key: key === null ? null : txt(key),
    value: value === null ? null : typeof value === 'string' ? txt(value) : value,
    headers,
  };
}

const order = rec(
  'order-1',
  JSON.stringify({
    status: 'PLACED',
    amount: 42,
    paid: false,
    note: null,
    customer: { id: 7, address: { city: 'Paris', zip: '75001' } },
    items: [{ sku: 'P-1' }, { sku: 'P-2' }],
  }),
  { ce_type: txt('order.placed'), tag: [txt('a'), txt('b')], bin: Buffer.from([0xff]), nothing: null },
);
const tombstone = rec('order-1', null);
const text = rec(null, 'plain text, not JSON');
const binary = rec('b', Buffer.from([0xff, 0xfe]));

describe('buildFilter', () => {
  it('returns undefined when no filter is given (everything passes without work)', () => {
    expect(buildFilter({})).toBeUndefined();
    expect(buildFilter({ headers: [], where: [] })).toBeUndefined();
  });

  it.each<[string, FilterSpec, RecordData, boolean]>([
    ['key equal', { key: 'order-1' }, order, true],
    ['key differs', { key: 'order-2' }, order, false],
    ['key prefix is not equal', { key: 'order' }, order, false],
    ['key on a null key', { key: '' }, text, false],
    ['header single value', { headers: ['ce_type=order.placed'] }, order, true],
    ['header wrong value', { headers: ['ce_type=order.paid'] }, order, false],
    ['header missing', { headers: ['other=x'] }, order, false],
    ['header repeated name, first value', { headers: ['tag=a'] }, order, true],
    ['header repeated name, second value', { headers: ['tag=b'] }, order, true],
    ['header repeated name, absent value', { headers: ['tag=c'] }, order, false],
    ['header value containing =', { headers: ['q=a=b'] }, rec(null, 'v', { q: txt('a=b') }), true],
    ['header null value never matches', { headers: ['nothing='] }, order, false],
    ['two headers, both hold', { headers: ['ce_type=order.placed', 'tag=b'] }, order, true],
    ['two headers, one fails', { headers: ['ce_type=order.placed', 'tag=z'] }, order, false],
    ['grep value', { grep: 'PLACED' }, order, true],
    ['grep key', { grep: '^order-\\d$' }, order, true],
    ['grep regex on value', { grep: '"amount":4\\d' }, order, true],
    ['grep miss', { grep: 'SHIPPED' }, order, false],
    ['grep on tombstone matches key only', { grep: 'order' }, tombstone, true],
    ['grep on tombstone miss', { grep: 'PLACED' }, tombstone, false],
    ['where top-level string', { where: ['status=PLACED'] }, order, true],
    ['where top-level string differs', { where: ['status=placed'] }, order, false],
    ['where number (JSON spelling)', { where: ['amount=42'] }, order, true],
    ['where number differs', { where: ['amount=42.0'] }, order, false],
    ['where boolean', { where: ['paid=false'] }, order, true],
    ['where JSON null', { where: ['note=null'] }, order, true],
    ['where nested path', { where: ['customer.address.city=Paris'] }, order, true],
    ['where nested number', { where: ['customer.id=7'] }, order, true],
    ['where nested miss', { where: ['customer.address.city=Lyon'] }, order, false],
    ['where array index', { where: ['items.1.sku=P-2'] }, order, true],
    ['where array index out of range', { where: ['items.5.sku=P-2'] }, order, false],
    ['where path through a string', { where: ['status.x=P'] }, order, false],
    ['where missing path', { where: ['customer.name=Ann'] }, order, false],
    ['where value with =', { where: ['eq=a=b'] }, rec(null, '{"eq":"a=b"}'), true],
    [
      'where object compared as compact JSON',
      { where: ['customer.address={"city":"Paris","zip":"75001"}'] },
      order,
      true,
    ],
    ['where on non-JSON value', { where: ['status=PLACED'] }, text, false],
    ['where on tombstone', { where: ['status=PLACED'] }, tombstone, false],
    ['where on binary value', { where: ['status=PLACED'] }, binary, false],
    ['two wheres, both hold', { where: ['status=PLACED', 'customer.id=7'] }, order, true],
    ['two wheres, one fails', { where: ['status=PLACED', 'customer.id=8'] }, order, false],
    [
      'all kinds together',
      { key: 'order-1', headers: ['tag=a'], grep: 'Paris', where: ['items.0.sku=P-1'] },
      order,
      true,
    ],
    [
      'all kinds, key fails',
      { key: 'x', headers: ['tag=a'], grep: 'Paris', where: ['items.0.sku=P-1'] },
      order,
      false,
    ],
  ])('%s', (_name, spec, record, want) => {
    const f = buildFilter(spec);
    expect(f, 'got no predicate, want one').toBeDefined();
    expect(f!(record), `filter ${JSON.stringify(spec)}`).toBe(want);
  });

  it.each<[string, FilterSpec, RegExp]>([
    ['header without =', { headers: ['ce_type'] }, /--header "ce_type" is not k=v/],
    ['header with empty name', { headers: ['=x'] }, /--header "=x" is not k=v/],
    ['where without =', { where: ['status'] }, /--where "status" is not path=value/],
    ['where with empty path', { where: ['=PLACED'] }, /--where "=PLACED" is not path=value/],
    ['bad regular expression', { grep: '(' }, /--grep: /],
  ])('rejects %s as a usage error', (_name, spec, want) => {
    let got: unknown;
    try {
      buildFilter(spec);
    } catch (err) {
      got = err;
    }
    expect(got, 'got no error, want a usage error').toBeInstanceOf(EbError);
    expect((got as EbError).exitCode).toBe(ExitCode.usage);
    expect((got as EbError).message).toMatch(want);
    expect((got as EbError).hint, 'got no hint, want one').toBeTruthy();
  });
});

describe('parseHeaderFlags', () => {
  const hex = (h: ReturnType<typeof parseHeaderFlags>) =>
    Object.fromEntries(
      Object.entries(h).map(([k, v]) => [
        k,
        Array.isArray(v) ? v.map((x) => x?.toString('utf8')) : v?.toString('utf8'),
      ]),
    );

  it.each<[string, string[] | undefined, Record<string, unknown>]>([
    ['none', undefined, {}],
    ['one', ['source=import'], { source: 'import' }],
    ['empty value', ['flag='], { flag: '' }],
    ['value with =', ['q=a=b'], { q: 'a=b' }],
    [
      'repeated name keeps every value in order',
      ['h=1', 'x=y', 'h=2', 'h=3'],
      { h: ['1', '2', '3'], x: 'y' },
    ],
  ])('%s', (_name, flags, want) => {
    expect(hex(parseHeaderFlags(flags))).toEqual(want);
  });

  it.each(['novalue', '=v'])('rejects %j as a usage error', (flag) => {
    let got: unknown;
    try {
      parseHeaderFlags([flag]);
    } catch (err) {
      got = err;
    }
    expect(got).toBeInstanceOf(EbError);
    expect((got as EbError).exitCode).toBe(ExitCode.usage);
  });
});
