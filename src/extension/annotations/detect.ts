/** Self-correction points of a run no analysis has logged yet, found the way `reasonscope inspect
 * --write` would log them: the analysis runner on an in-memory copy of the run (nothing is written),
 * markers per step, effects from the answers each chain states. The editor shows them until an
 * analysis is logged. */
import { analyzeRun } from '../../core/analysis/analyze';
import { RunRecorder } from '../../core/trace/recorder';
import type { RunEvent, RunHeader, SelfCorrectionEvent } from '../../core/trace/schema';

export type DetectedSelfCorrections = ReadonlyMap<string, readonly SelfCorrectionEvent[]>;

export async function detectSelfCorrections(header: RunHeader, events: readonly RunEvent[]): Promise<DetectedSelfCorrections> {
  const recorder = RunRecorder.resume(header, events);
  await analyzeRun(recorder);
  const found = new Map<string, SelfCorrectionEvent[]>();
  for (const event of recorder.events.slice(events.length)) {
    if (event.type === 'self_correction') found.set(event.id, [...(found.get(event.id) ?? []), event]);
  }
  return found;
}
