import type { Decoder } from '../decoder.js';
import type { Encoder } from '../encoder.js';

// ListGroups (key 16), versions 0-5; flexible from v3; v4 filters by state (KIP-518), v5 by
// type (KIP-848) (ListGroupsRequest/Response.json).

export interface ListGroupsRequest {
  statesFilter: string[];
  typesFilter: string[];
}

export interface ListedGroup {
  groupId: string;
  protocolType: string;
  groupState: string;
  groupType: string;
}

export interface ListGroupsResponse {
  throttleTimeMs: number;
  errorCode: number;
  groups: ListedGroup[];
}

export function decodeListGroupsRequest(d: Decoder, v: number): ListGroupsRequest {
  const flex = v >= 3;
  const statesFilter = v >= 4 ? d.compactArray((x) => x.compactString()) : [];
  const typesFilter = v >= 5 ? d.compactArray((x) => x.compactString()) : [];
  d.taggedFields(flex);
  return { statesFilter, typesFilter };
}

export function encodeListGroupsResponse(e: Encoder, res: ListGroupsResponse, v: number): void {
  const flex = v >= 3;
  if (v >= 1) e.int32(res.throttleTimeMs);
  e.int16(res.errorCode);
  e.array(
    res.groups,
    (e2, g) => {
      e2.string(g.groupId, flex).string(g.protocolType, flex);
      if (v >= 4) e2.compactString(g.groupState);
      if (v >= 5) e2.compactString(g.groupType);
      e2.taggedFields(flex);
    },
    flex,
  );
  e.taggedFields(flex);
}
