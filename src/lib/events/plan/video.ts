import type { Rng } from '../prng.js';
import { videoTypes as T } from '../domains/video.js';
import { StepClock, type StepStream } from '../domains/common.js';
import { VIDEOS } from '../world.js';
import { MIN, SEC, type UserFacts } from './context.js';

/**
 * A signed-in user watches a video on the device they signed in with, starting a while after
 * `earliest`. Playback stalls or pauses now and then; about one in seven viewers who pause never
 * resume (no terminal event).
 */
export function* planVideo(rng: Rng, playbackId: string, user: UserFacts, earliest: number): StepStream {
  const c = new StepClock();
  const userId = user.id;
  const v = rng.pick(VIDEOS);
  let t = earliest + rng.int(30 * SEC, 25 * MIN);
  yield c.step(T.playbackRequested, t, {
    playbackId,
    userId,
    videoId: v.id,
    title: v.title,
    durationSec: v.durationSec,
    device: user.device,
  });
  t += rng.int(300, 4 * SEC);
  yield c.step(T.playbackStarted, t, { playbackId, positionSec: 0 });
  let pos = 0;
  for (;;) {
    const played = rng.int(5, 90);
    if (pos + played >= v.durationSec) {
      yield c.step(T.completed, t + (v.durationSec - pos) * SEC, { playbackId, positionSec: v.durationSec });
      return;
    }
    pos += played;
    t += played * SEC;
    if (rng.chance(0.5)) {
      yield c.step(T.buffering, t, { playbackId, positionSec: pos });
      t += rng.int(300, 8 * SEC);
      yield c.step(T.playbackStarted, t, { playbackId, positionSec: pos });
    } else {
      yield c.step(T.paused, t, { playbackId, positionSec: pos });
      if (rng.chance(0.15)) return;
      t += rng.int(5 * SEC, 5 * MIN);
      yield c.step(T.playbackStarted, t, { playbackId, positionSec: pos });
    }
  }
}
