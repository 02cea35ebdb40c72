/** Answer extraction, normalisation and equivalence: the public surface of `src/core/answer`. */
export { extractAnswer, extractBoxed, normalizeAnswer, type Extraction, type ExtractionRule, type ExtractOptions } from './extract';
export { answerKey, gradeAnswer, DEFAULT_TIME_LIMIT_MS, type GradeOptions, type Verdict } from './grade';
