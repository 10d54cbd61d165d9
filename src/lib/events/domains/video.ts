import { req, s } from '../schema.js';
import { DEVICES, VIDEOS } from '../world.js';
import { defineType, type DomainDef, type EntityState, type SourcingEvent } from '../types.js';

const playbackId = req(s.id('playback'), 'The playback session');
const positionSec = req(s.int(0), 'Position in the video, seconds');

export const videoTypes = {
  playbackRequested: defineType('video', 'playback-requested', {
    description: 'A signed-in user pressed play; the playback entity begins.',
    from: [],
    to: 'requested',
    data: s.object({
      playbackId,
      userId: req(s.id('user'), 'The viewer'),
      videoId: req(s.enum(VIDEOS.map((v) => v.id)), 'The video'),
      title: req(s.string(), 'Video title'),
      durationSec: req(s.int(1), 'Length of the video'),
      device: req(s.enum(DEVICES), 'Where it plays'),
    }),
  }),
  playbackStarted: defineType('video', 'playback-started', {
    description: 'Frames are playing: the first start, or a resume after buffering or a pause.',
    from: ['requested', 'buffering', 'paused'],
    to: 'playing',
    data: s.object({ playbackId, positionSec }),
  }),
  buffering: defineType('video', 'playback-buffering', {
    description: 'Playback stalled waiting for data.',
    from: ['playing'],
    to: 'buffering',
    data: s.object({ playbackId, positionSec }),
  }),
  paused: defineType('video', 'playback-paused', {
    description: 'The viewer paused (some never come back).',
    from: ['playing'],
    to: 'paused',
    data: s.object({ playbackId, positionSec }),
  }),
  completed: defineType('video', 'playback-completed', {
    description: 'The video played to the end. Terminal.',
    from: ['playing'],
    to: 'completed',
    data: s.object({ playbackId, positionSec }),
  }),
};

const playbackState = s.object(
  {
    playbackId,
    userId: req(s.id('user'), 'The viewer'),
    videoId: req(s.string(), 'The video'),
    title: req(s.string(), 'Video title'),
    durationSec: req(s.int(1), 'Length of the video'),
    device: req(s.enum(DEVICES), 'Where it plays'),
    status: req(s.enum(['requested', 'playing', 'buffering', 'paused', 'completed']), 'Lifecycle state'),
    positionSec,
    stalls: req(s.int(0), 'Times playback buffered'),
    pauses: req(s.int(0), 'Times the viewer paused'),
    requestedAt: req(s.time(), 'When play was pressed'),
    completedAt: req(s.nullable(s.time()), 'When it reached the end'),
    updatedAt: req(s.time(), 'Time of the last event applied'),
  },
  'Playback',
);

function applyVideo(state: EntityState | undefined, e: SourcingEvent): EntityState {
  const d = e.data;
  if (e.type === 'playback-requested') {
    return {
      playbackId: d.playbackId,
      userId: d.userId,
      videoId: d.videoId,
      title: d.title,
      durationSec: d.durationSec,
      device: d.device,
      status: 'requested',
      positionSec: 0,
      stalls: 0,
      pauses: 0,
      requestedAt: e.time,
      completedAt: null,
      updatedAt: e.time,
    };
  }
  const st = state ?? {};
  switch (e.type) {
    case 'playback-started':
      return { ...st, status: 'playing', positionSec: d.positionSec, updatedAt: e.time };
    case 'playback-buffering':
      return {
        ...st,
        status: 'buffering',
        positionSec: d.positionSec,
        stalls: (st.stalls as number) + 1,
        updatedAt: e.time,
      };
    case 'playback-paused':
      return {
        ...st,
        status: 'paused',
        positionSec: d.positionSec,
        pauses: (st.pauses as number) + 1,
        updatedAt: e.time,
      };
    case 'playback-completed':
      return {
        ...st,
        status: 'completed',
        positionSec: d.positionSec,
        completedAt: e.time,
        updatedAt: e.time,
      };
    default:
      return st;
  }
}

export const video: DomainDef = {
  name: 'video',
  description: 'Video playback in the app while the pizza is on its way.',
  entity: 'playback',
  collection: 'playbacks',
  idPrefix: 'playback',
  idField: 'playbackId',
  states: ['requested', 'playing', 'buffering', 'paused', 'completed'],
  terminal: ['completed'],
  types: Object.values(videoTypes),
  state: playbackState,
  links: ['userId'],
  apply: applyVideo,
};
