import { AssignerProtocol } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { decodeMemberAssignment } from '../../../src/lib/groups/describe.js';

const decode = (b: Buffer) => AssignerProtocol.MemberAssignment.decode(b);

describe('decodeMemberAssignment', () => {
  it('decodes the consumer protocol assignment, sorted', () => {
    const buf = AssignerProtocol.MemberAssignment.encode({
      version: 0,
      assignment: { b: [2, 0], a: [1] },
      userData: Buffer.alloc(0),
    });
    expect(decodeMemberAssignment('consumer', buf, decode)).toEqual([
      { topic: 'a', partitions: [1] },
      { topic: 'b', partitions: [0, 2] },
    ]);
  });

  it('decodes a Java consumer v1 assignment (owned fields appended) by its common prefix', () => {
    // version 1, one topic "t" with partitions [0, 3], null user data: the bytes a Java
    // ConsumerPartitionAssignor writes (later versions only append fields).
    const buf = Buffer.from([
      0, 1, 0, 0, 0, 1, 0, 1, 0x74, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff,
    ]);
    expect(decodeMemberAssignment('consumer', buf, decode)).toEqual([{ topic: 't', partitions: [0, 3] }]);
  });

  it.each<[string, string, Buffer | null]>([
    ['no bytes (rebalance in progress)', 'consumer', Buffer.alloc(0)],
    ['null', 'consumer', null],
    ['another protocol type', 'connect', Buffer.from([0, 0, 0, 0, 0, 0])],
    ['garbage', 'consumer', Buffer.from([0, 0, 0x7f, 0xff, 0xff, 0xff])],
  ])('gives no assignment for %s', (_name, type, buf) => {
    expect(decodeMemberAssignment(type, buf, decode)).toEqual([]);
  });
});
