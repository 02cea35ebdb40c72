/** The actions above each step header. Each writes to the run file with the run's model, so runs
 * imported from other formats (read-only) get none; finding critical tokens needs the step's token
 * alternatives. */
import type { AnnotatedChain } from './annotatedChain';

export type StepAction = 'branch' | 'resample' | 'wait' | 'critical';

export interface LensPlan {
  offset: number;
  nodeId: string;
  action: StepAction;
  title: string;
  tooltip: string;
}


const TITLES: Record<StepAction, [string, string]> = {
  branch: ['Branch here', 'Continue the chain after this step with a new sample; the branch joins the tree'],
  resample: ['Resample from here', 'Write this step and the rest of the chain again from the steps before it'],
  wait: ['Inject "Wait" here', 'Write "Wait," after this step and let the model go on from there'],
  critical: ['Find critical tokens', 'Sample continuations with alternative tokens to see which tokens of this step decide the answer'],
};

/** `continuable`: the run has a file Reasonscope wrote, so events can be appended to it. */
export function stepLenses(chain: AnnotatedChain, continuable: boolean): LensPlan[] {
  if (!continuable) return [];
  const lenses: LensPlan[] = [];
  for (const part of chain.steps) {
    const actions: StepAction[] = ['branch', 'resample', 'wait'];
    if (part.node.tokens?.some((t) => (t.top?.length ?? 0) > 1)) actions.push('critical');
    for (const action of actions) {
      const [title, tooltip] = TITLES[action];
      lenses.push({ offset: part.headerStart, nodeId: part.node.id, action, title, tooltip });
    }
  }
  return lenses;
}
