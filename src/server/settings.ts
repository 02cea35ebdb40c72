/** The `reasonscope.problems` settings as the server uses them: whatever the client sends is
 * sanitised, so a typo in settings.json degrades to a default instead of breaking the checks. */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PROBLEM_CHECK_SETTINGS, type ProblemCheckSettings } from './protocol';

export const SETTINGS_SECTION = 'reasonscope.problems';

/** Below 0.5 nearly every problem would "match" something; above 1 nothing could. */
const MIN_THRESHOLD = 0.5;
const MAX_THRESHOLD = 1;

/** `raw` is the section as the client answered it (any shape); relative dataset paths are resolved
 * against `workspaceFolder` (a file system path), or kept as given without one. */
export function sanitizeSettings(raw: unknown, workspaceFolder: string | undefined): ProblemCheckSettings {
  const section = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const threshold = typeof section.duplicateThreshold === 'number' && Number.isFinite(section.duplicateThreshold)
    ? Math.min(MAX_THRESHOLD, Math.max(MIN_THRESHOLD, section.duplicateThreshold))
    : DEFAULT_PROBLEM_CHECK_SETTINGS.duplicateThreshold;
  const datasets = Array.isArray(section.duplicateDatasets) ? section.duplicateDatasets : [];
  const duplicateDatasets = datasets
    .filter((p): p is string => typeof p === 'string' && p.trim() !== '')
    .map((p) => (path.isAbsolute(p) || workspaceFolder === undefined ? p : path.resolve(workspaceFolder, p)));
  return { duplicateThreshold: threshold, duplicateDatasets };
}

/** The file system folder of a `file:` workspace URI; undefined for other schemes. */
export function folderPath(uri: string | null | undefined): string | undefined {
  return uri?.startsWith('file:') ? fileURLToPath(uri) : undefined;
}
