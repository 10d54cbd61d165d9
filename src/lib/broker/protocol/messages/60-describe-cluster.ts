import type { Decoder } from '../decoder.js';
import type { Encoder } from '../encoder.js';

// DescribeCluster (key 60, KIP-700), versions 0-1; flexible in all versions
// (DescribeClusterRequest/Response.json).

export interface DescribeClusterRequest {
  includeClusterAuthorizedOperations: boolean;
  /** v1+: 1 brokers, 2 controllers. */
  endpointType: number;
}

export interface DescribeClusterBroker {
  brokerId: number;
  host: string;
  port: number;
  rack: string | null;
}

export interface DescribeClusterResponse {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  endpointType: number;
  clusterId: string;
  controllerId: number;
  brokers: DescribeClusterBroker[];
  clusterAuthorizedOperations: number;
}

export function decodeDescribeClusterRequest(d: Decoder, v: number): DescribeClusterRequest {
  const includeClusterAuthorizedOperations = d.boolean();
  const endpointType = v >= 1 ? d.int8() : 1;
  d.taggedFields();
  return { includeClusterAuthorizedOperations, endpointType };
}

export function encodeDescribeClusterResponse(e: Encoder, res: DescribeClusterResponse, v: number): void {
  e.int32(res.throttleTimeMs).int16(res.errorCode).compactNullableString(res.errorMessage);
  if (v >= 1) e.int8(res.endpointType);
  e.compactString(res.clusterId).int32(res.controllerId);
  e.compactArray(res.brokers, (e2, b) => {
    e2.int32(b.brokerId).compactString(b.host).int32(b.port).compactNullableString(b.rack).taggedFields();
  });
  e.int32(res.clusterAuthorizedOperations).taggedFields();
}
