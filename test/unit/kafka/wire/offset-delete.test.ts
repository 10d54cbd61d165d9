import { describe, expect, it } from 'vitest';
import {
  decodeOffsetDeleteResponse,
  encodeOffsetDeleteRequest,
  offsetDeleteRequest,
} from '../../../../src/lib/kafka/wire/offset-delete.js';

describe('OffsetDelete v0 codec', () => {
  it('encodes the request: group, topics, partitions', async () => {
    const want = Buffer.from([
      0,
      1,
      0x67, // group "g"
      0,
      0,
      0,
      1, // one topic
      0,
      2,
      0x74,
      0x31, // "t1"
      0,
      0,
      0,
      2,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      5, // partitions [0, 5]
    ]);
    expect(encodeOffsetDeleteRequest({ groupId: 'g', topics: [{ name: 't1', partitions: [0, 5] }] })).toEqual(
      want,
    );
    const req = offsetDeleteRequest({ groupId: 'g', topics: [{ name: 't1', partitions: [0, 5] }] });
    expect(req.request).toMatchObject({ apiKey: 47, apiVersion: 0, apiName: 'OffsetDelete' });
    const payload = (await req.request.encode()) as { buf: Buffer; buffer: Buffer };
    expect(payload.buffer).toEqual(want);
    expect(payload.buf).toEqual(want);
  });

  it('decodes a response with partition errors', () => {
    const bytes = Buffer.from([
      0,
      0, // error 0
      0,
      0,
      0,
      7, // throttle 7
      0,
      0,
      0,
      1,
      0,
      1,
      0x74, // one topic "t"
      0,
      0,
      0,
      2,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      1,
      0,
      86, // p0 ok, p1 GROUP_SUBSCRIBED_TO_TOPIC (86)
    ]);
    expect(decodeOffsetDeleteResponse(bytes)).toEqual({
      errorCode: 0,
      throttleTimeMs: 7,
      topics: [
        {
          name: 't',
          partitions: [
            { partition: 0, errorCode: 0 },
            { partition: 1, errorCode: 86 },
          ],
        },
      ],
    });
  });

  it('decodes a group-level error with no topics', () => {
    expect(decodeOffsetDeleteResponse(Buffer.from([0, 69, 0, 0, 0, 0, 0, 0, 0, 0]))).toEqual({
      errorCode: 69,
      throttleTimeMs: 0,
      topics: [],
    });
  });

  it.each<[string, number[]]>([
    ['an empty buffer', []],
    ['a cut-off topic name', [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 5, 0x74]],
    ['an absurd array length', [0, 0, 0, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff]],
  ])('refuses %s', (_name, bytes) => {
    expect(() => decodeOffsetDeleteResponse(Buffer.from(bytes))).toThrow(RangeError);
  });
});
