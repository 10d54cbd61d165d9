/**
 * Which partition a keyed record lands in under Kafka's default partitioner (Java's
 * `Utils.murmur2` of the key bytes, made positive, modulo the partition count), which is also
 * kafkajs 2.x's DefaultPartitioner. Lets a dry run or a summary say where each entity's events
 * go without sending anything.
 */
export function murmur2(data: Uint8Array): number {
  const m = 0x5bd1e995;
  const len = data.length;
  let h = 0x9747b28c ^ len;
  const end = len - (len % 4);
  for (let i = 0; i < end; i += 4) {
    let k =
      (data[i] as number) |
      ((data[i + 1] as number) << 8) |
      ((data[i + 2] as number) << 16) |
      ((data[i + 3] as number) << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const rest = len % 4;
  if (rest === 3) h ^= (data[end + 2] as number) << 16;
  if (rest >= 2) h ^= (data[end + 1] as number) << 8;
  if (rest >= 1) {
    h ^= data[end] as number;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** The partition for a key: toPositive(murmur2(key)) % partitions, as Kafka's producer does. */
export function partitionForKey(key: Uint8Array, partitions: number): number {
  return (murmur2(key) & 0x7fffffff) % partitions;
}
