// DescribeCluster (key 60, KIP-700), versions 0-1: the Java admin client (kafka-topics,
// kafka-consumer-groups, ...) asks it for the broker list. We answer ourselves as the only broker
// and controller, whichever endpoint type is asked for. No ACLs: authorized operations are
// "omitted".
import { ErrorCode } from '../protocol/error-codes.js';
import { AUTHORIZED_OPERATIONS_OMITTED } from '../protocol/messages/03-metadata.js';
import {
  decodeDescribeClusterRequest,
  encodeDescribeClusterResponse,
  type DescribeClusterRequest,
  type DescribeClusterResponse,
} from '../protocol/messages/60-describe-cluster.js';
import type { ApiHandler } from './types.js';

export const describeClusterHandler: ApiHandler<DescribeClusterRequest, DescribeClusterResponse> = {
  apiKey: 60,
  name: 'DescribeCluster',
  minVersion: 0,
  maxVersion: 1,
  flexibleFrom: 0,
  decode: decodeDescribeClusterRequest,
  encode: encodeDescribeClusterResponse,
  handle(req, _v, ctx) {
    const { nodeId, host, port, clusterId } = ctx.identity;
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      endpointType: req.endpointType,
      clusterId,
      controllerId: nodeId,
      brokers: [{ brokerId: nodeId, host, port, rack: null }],
      clusterAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
    };
  },
};
