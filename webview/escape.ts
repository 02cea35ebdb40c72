/** HTML escaping, shared by the document builder (which the extension imports) and the math
 * renderer; kept apart so importing one does not pull KaTeX into the extension. */
const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}
