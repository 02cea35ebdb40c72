/** Votes over final answers, where answers that mean the same are one candidate: `\frac12`, `0.5`
 * and `1/2` pool their votes, as do `2\sqrt2` and `\sqrt8`. Shared by the engine and the importers
 * so a run's votes and verdicts mean the same whatever produced it. */
import { answerKey, gradeAnswer } from './grade';
import { normalizeAnswer } from './extract';

/** What a cast answer records in its `answer_extracted` event. */
export interface Cast {
  /** The group's display form: the normalised text of its first member. */
  normalized: string;
  /** Against the gold answer, when one is known. */
  correct?: boolean;
  /** The grader's reason for `correct`. */
  reason?: string;
}

export interface BallotResult {
  /** The group with the most votes (the first to reach that count on a tie); null when none. */
  answer: string | null;
  votes: Record<string, number>;
  correct?: boolean;
}

interface Group {
  label: string;
  /** The first member as written, compared with newcomers whose key differs. */
  raw: string;
  votes: number;
  correct?: boolean;
}

export class AnswerBallot {
  private readonly groups: Group[] = [];
  private readonly byKey = new Map<string, Group>();

  constructor(private readonly gold?: string) {}

  /** Adds one vote for `raw`. A `verdict` the source already gives (an imported dataset's label)
   * stands in for the gold-answer check. */
  cast(raw: string, verdict?: { correct: boolean }): Cast {
    const group = this.groupOf(raw);
    group.votes++;
    let graded: Pick<Cast, 'correct' | 'reason'> = {};
    if (verdict) graded = { correct: verdict.correct };
    else if (this.gold !== undefined) {
      const v = gradeAnswer(raw, this.gold);
      graded = { correct: v.equal, reason: v.reason };
    }
    group.correct ??= graded.correct;
    return { normalized: group.label, ...graded };
  }

  result(): BallotResult {
    const votes: Record<string, number> = {};
    let best: Group | undefined;
    for (const g of this.groups) {
      votes[g.label] = g.votes;
      if (!best || g.votes > best.votes) best = g;
    }
    return { answer: best?.label ?? null, votes, ...(best?.correct !== undefined && { correct: best.correct }) };
  }

  private groupOf(raw: string): Group {
    const key = answerKey(raw);
    // Equal keys are the same answer; otherwise the grader decides (symbolic forms have many keys).
    let group = this.byKey.get(key) ?? this.groups.find((g) => gradeAnswer(raw, g.raw).equal);
    if (!group) {
      group = { label: normalizeAnswer(raw), raw, votes: 0 };
      this.groups.push(group);
    }
    this.byKey.set(key, group);
    return group;
  }
}
