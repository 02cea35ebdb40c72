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
  /** The group with the most votes (on a tie, the group seen first); null when none. */
  answer: string | null;
  votes: Record<string, number>;
  correct?: boolean;
}

interface Group {
  label: string;
  key: string;
  /** The first member as written, compared with newcomers whose key differs. */
  raw: string;
  votes: number;
  correct?: boolean;
}

/** Keys of these kinds are exact values: two different keys of them are never the same answer, so
 * the grader need not be asked (it would be, for each group, on every new answer). */
const EXACT_KEY = /^(?:number|choice|text):/;

export class AnswerBallot {
  private readonly groups: Group[] = [];
  private readonly byKey = new Map<string, Group>();
  /** The verdict against gold per answer as written: a vote repeats the same few answers. */
  private readonly graded = new Map<string, Pick<Cast, 'correct' | 'reason'>>();

  constructor(private readonly gold?: string) {}

  /** Adds one vote for `raw`. A `verdict` the source already gives (an imported dataset's label)
   * stands in for the gold-answer check. */
  cast(raw: string, verdict?: { correct: boolean }): Cast {
    return this.place(raw, 1, verdict);
  }

  /** What `cast` would record for `raw`, without a vote (the group is made if new, with no votes). */
  describe(raw: string): Cast {
    return this.place(raw, 0);
  }

  private place(raw: string, votes: number, verdict?: { correct: boolean }): Cast {
    const group = this.groupOf(raw);
    group.votes += votes;
    const graded = verdict ? { correct: verdict.correct } : this.gradeAgainstGold(raw);
    group.correct ??= graded.correct;
    return { normalized: group.label, ...graded };
  }

  private gradeAgainstGold(raw: string): Pick<Cast, 'correct' | 'reason'> {
    if (this.gold === undefined) return {};
    const text = raw.trim();
    let graded = this.graded.get(text);
    if (!graded) {
      const v = gradeAnswer(raw, this.gold);
      graded = { correct: v.equal, reason: v.reason };
      this.graded.set(text, graded);
    }
    return graded;
  }

  result(): BallotResult {
    const votes: Record<string, number> = {};
    let best: Group | undefined;
    for (const g of this.groups.filter((group) => group.votes > 0)) {
      votes[g.label] = g.votes;
      if (!best || g.votes > best.votes) best = g;
    }
    return { answer: best?.label ?? null, votes, ...(best?.correct !== undefined && { correct: best.correct }) };
  }

  private groupOf(raw: string): Group {
    const key = answerKey(raw);
    // Equal keys are the same answer; otherwise the grader decides (symbolic forms have many keys).
    let group = this.byKey.get(key)
      ?? this.groups.find((g) => !(EXACT_KEY.test(key) && EXACT_KEY.test(g.key)) && gradeAnswer(raw, g.raw).equal);
    if (!group) {
      group = { label: this.uniqueLabel(raw, key), key, raw, votes: 0 };
      this.groups.push(group);
    }
    this.byKey.set(key, group);
    return group;
  }

  /** Labels name groups in the votes and the views: a label must mean what the group means (the
   * tidied text of `\sqrt 2 3` reads `\sqrt23`, another number), and two groups never share one. */
  private uniqueLabel(raw: string, key: string): string {
    const taken = new Set(this.groups.map((g) => g.label));
    const tidy = normalizeAnswer(raw);
    const candidates = answerKey(tidy) === key ? [tidy, raw.trim()] : [raw.trim()];
    for (let i = 2; ; i++) {
      const free = candidates.find((c) => !taken.has(c));
      if (free !== undefined) return free;
      candidates.push(`${candidates[0]} (${i})`);
    }
  }
}
