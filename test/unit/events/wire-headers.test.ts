import { describe, expect, it } from 'vitest';
import { encodeHeaders } from '../../../src/lib/kafka/wire/record-headers.js';
import { gen } from './support.js';

const FAULTS = { duplicates: 0.05, outOfOrder: 0.05, late: 0.05 };

describe('generated records carry their headers in wire form', () => {
  it.each(['sourcing', 'state', 'notification'])(
    '%s: wireHeaders are exactly the encoding of headers, for every record',
    (shape) => {
      const records = gen({ shape, seed: 'wire', count: 5000, faults: FAULTS, with: ['terms-agreed'] });
      let faults = 0;
      for (const [i, r] of records.entries()) {
        if (r.fault) faults++;
        expect(r.wireHeaders.of, `record ${i}: wireHeaders.of`).toBe(r.headers);
        const want = encodeHeaders(r.headers).toString('hex');
        expect(r.wireHeaders.bytes.toString('hex'), `record ${i} (${r.type}) headers`).toBe(want);
      }
      expect(faults, 'records with a fault header').toBeGreaterThan(0);
    },
  );

  it('a record copied with other headers no longer matches its wire form', () => {
    const [r] = gen({ count: 1 });
    const copy = { ...r!, headers: { ...r!.headers } };
    expect(copy.wireHeaders.of === copy.headers, 'of === headers on the copy').toBe(false);
  });
});
