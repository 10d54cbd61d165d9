import type { Rng } from '../prng.js';
import { video, videoTypes as T } from '../domains/video.js';
import { PlanBuilder, eventId, type EntityPlan } from '../domains/common.js';
import { VIDEOS } from '../world.js';
import { MIN, SEC, type UserFacts } from './context.js';

/**
 * A signed-in user watches a video on the device they signed in with. Playback stalls or pauses
 * now and then; about one in seven viewers who pause never resume (no terminal event).
 */
export function planVideo(rng: Rng, playbackId: string, user: UserFacts, earliest: number): EntityPlan {
  const userId = user.id;
  const v = rng.pick(VIDEOS);
  const b = new PlanBuilder(video, playbackId, { userId }, eventId(userId, 'login-succeeded'));
  let t = b.add(T.playbackRequested, earliest + rng.int(30 * SEC, 25 * MIN), {
    playbackId,
    userId,
    videoId: v.id,
    title: v.title,
    durationSec: v.durationSec,
    device: user.device,
  });
  t = b.add(T.playbackStarted, t + rng.int(300, 4 * SEC), { playbackId, positionSec: 0 });
  let pos = 0;
  for (;;) {
    const played = rng.int(5, 90);
    if (pos + played >= v.durationSec) {
      b.add(T.completed, t + (v.durationSec - pos) * SEC, { playbackId, positionSec: v.durationSec });
      return b.plan;
    }
    pos += played;
    t += played * SEC;
    if (rng.chance(0.5)) {
      t = b.add(T.buffering, t, { playbackId, positionSec: pos });
      t = b.add(T.playbackStarted, t + rng.int(300, 8 * SEC), { playbackId, positionSec: pos });
    } else {
      t = b.add(T.paused, t, { playbackId, positionSec: pos });
      if (rng.chance(0.15)) return b.plan;
      t = b.add(T.playbackStarted, t + rng.int(5 * SEC, 5 * MIN), { playbackId, positionSec: pos });
    }
  }
}
