/** The text of a chain document: the problem, then one `### Step k` header per step with the step's
 * text exactly as the run holds it, then the answer. Each part records where its header and its text
 * lie, so token offsets within a step become document offsets by adding the text's start. Pure (no
 * `vscode`): the decorations, hovers and hints are computed and tested on this model. */
import type { RunTree, TreeNode } from '../../core/trace/tree';

export interface ChainPart {
  node: TreeNode;
  /** "Problem", "Step 3", "Answer". */
  title: string;
  headerStart: number;
  /** Where the node's text starts and ends in the document. */
  textStart: number;
  textEnd: number;
}

export interface ChainLayout {
  text: string;
  /** Root first, in document order. */
  parts: ChainPart[];
}

/** The nodes of the chain through `id`: root → `id`, then on down while the chain does not branch,
 * so a click on any step of a sampled chain shows the whole chain. */
export function chainPath(tree: RunTree, id: string): TreeNode[] {
  const path: TreeNode[] = [];
  for (let node = tree.nodes.get(id); node; node = node.parent === null ? undefined : tree.nodes.get(node.parent)) path.push(node);
  path.reverse();
  for (let last = path.at(-1); last?.children.length === 1;) {
    last = tree.nodes.get(last.children[0]);
    if (last) path.push(last);
  }
  return path;
}

export function layoutChain(tree: RunTree, path: readonly TreeNode[]): ChainLayout {
  const { header } = tree;
  const chunks: string[] = [];
  let length = 0;
  const write = (s: string) => {
    chunks.push(s);
    length += s.length;
  };
  const tip = path.at(-1);
  const chain = tip?.sample === undefined ? '' : ` · chain ${tip.sample + 1}`;
  write(`<!-- ${header.backend.model} · ${header.strategy.name} · run ${header.runId}${chain} -->\n`);
  const parts: ChainPart[] = [];
  for (const node of path) {
    // Steps are numbered by depth, as the tree's detail panel numbers them.
    const title = node.kind === 'root' ? 'Problem' : node.kind === 'answer' ? 'Answer' : `Step ${node.depth}`;
    write('\n');
    const headerStart = length;
    write(`### ${[title, ...headerFacts(node)].join(' · ')}\n`);
    const textStart = length;
    write(node.text);
    parts.push({ node, title, headerStart, textStart, textEnd: length });
    write('\n');
  }
  return { text: chunks.join(''), parts };
}

/** What the header says besides the title: the node id (as the tree and the run file name it), what
 * the source tagged it with, a dataset's label, and pruning. */
function headerFacts(node: TreeNode): string[] {
  if (node.kind === 'root') return [];
  const facts = [node.id, ...(node.tags ?? [])];
  if (node.label) facts.push(`${node.label.label.replace('-', ' ')} (per ${node.label.source})`);
  if (node.status === 'pruned') facts.push(`pruned: ${node.pruneReason ?? 'no reason given'}`);
  return facts;
}

/** The part whose header or text holds `offset` (binary search: parts are in document order). */
export function partAt(layout: ChainLayout, offset: number): ChainPart | undefined {
  const { parts } = layout;
  let lo = 0;
  let hi = parts.length - 1;
  if (hi < 0 || offset < parts[0].headerStart) return undefined;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (parts[mid].headerStart <= offset) lo = mid;
    else hi = mid - 1;
  }
  return parts[lo];
}
