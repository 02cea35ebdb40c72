/** The front-matter keys a `*.problem.md` file understands, with the values the checks and completion
 * offer. One list, shared by completion, hovers and the unknown-key / bad-value checks. */

/** The seven MATH subjects, spelt as MATH-500 writes them. */
export const MATH_SUBJECTS = [
  'Algebra',
  'Counting & Probability',
  'Geometry',
  'Intermediate Algebra',
  'Number Theory',
  'Prealgebra',
  'Precalculus',
] as const;

/** MATH difficulty levels (MATH writes "Level 3"; problem files may write `3` or `Level 3`). */
const MATH_LEVELS = [1, 2, 3, 4, 5] as const;

/** What the extension's "Estimate difficulty" writes. */
export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;

export interface FrontMatterKey {
  key: string;
  description: string;
  /** Allowed values, for completion (and the bad-value check where the list is closed). */
  values?: string[];
}

export const FRONT_MATTER_KEYS: FrontMatterKey[] = [
  { key: 'id', description: 'An identifier for the problem, e.g. `test/algebra/1234.json` for a MATH problem.' },
  { key: 'answer', description: 'The reference answer in LaTeX (as MATH writes it, e.g. `\\frac{14}{3}`): runs grade chains against it.' },
  { key: 'level', description: 'MATH difficulty level, 1 (easiest) to 5.', values: MATH_LEVELS.map(String) },
  { key: 'subject', description: 'MATH subject.', values: [...MATH_SUBJECTS] },
  { key: 'source', description: 'Where the problem comes from (a competition, a book, a URL).' },
  { key: 'tags', description: 'Free labels: a list (`[geometry, circles]`) or one string.' },
  { key: 'difficulty', description: "Estimated difficulty, written by Reasonscope's Estimate difficulty.", values: [...DIFFICULTIES] },
  { key: 'solution', description: 'A reference solution (Markdown + LaTeX); not shown to the model.' },
];
