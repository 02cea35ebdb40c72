/** The trajectory tree: a left-to-right tidy tree (root = the problem) with zoom and pan. Re-rendered
 * with keyed joins, so live growth adds nodes in place and never resets what the user is looking at. */
import {
  hierarchy, linkHorizontal, select, tree as tidyTree, zoom, zoomIdentity, zoomTransform,
  type D3ZoomEvent, type HierarchyPointLink, type HierarchyPointNode, type Selection, type ZoomBehavior,
} from 'd3';
import type { NodeStatus } from '../src/core/trace/schema';
import { pathTo, type TreeNode } from '../src/core/trace/tree';
import { glanceFacts, isErrorLabel, labelText, nodeTitle } from './detail';
import { h } from './dom';
import { snippet } from './format';
import { mathSnippetToHtml, texToHtml } from './math';
import type { GroupKey } from './order';
import type { RunModel } from './runModel';
import { nodeScore, scoreColor, scorePosition, STRONG_POSITION } from './scores';
import type { ViewTransform } from './viewState';
import { visitRadius } from './visits';

/** Distance between neighbouring chains and between consecutive steps, in layout pixels. */
const ROW = 22;
const COL = 56;
const RADIUS = { root: 9, step: 7, answer: 8 } as const;
const MIN_LABEL_RADIUS = 6;
/** Fitting never magnifies beyond this: a three-node tree should not fill the panel. */
const MAX_FIT_SCALE = 1.6;
const MIN_FIT_SCALE = 0.3;
/** Below this zoom, step numbers are too small to read and are hidden. */
const LABEL_MIN_SCALE = 0.55;
const MOVE_MS = 300;
const ROOT_LABEL_WIDTH = 64;
const MARGIN = 8;
const TOOLBAR_HEIGHT = 40;
const MIXED = Symbol('mixed answers');
const STATUSES: NodeStatus[] = ['active', 'complete', 'pruned', 'error'];

type Point = HierarchyPointNode<string>;
type Link = HierarchyPointLink<string>;
type SubtreeGroup = GroupKey | typeof MIXED | undefined;

export interface TreeViewEvents {
  select(id: string): void;
  /** The user zoomed or panned (not a programmatic fit). */
  userTransform(t: ViewTransform): void;
}

const linkPath = linkHorizontal<Link, Point>().x((d) => d.y).y((d) => d.x);

function reducedMotion(): boolean {
  return window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/** The one answer group every answered chain below a node ends in, MIXED when they disagree. */
function subtreeGroups(root: Point, model: RunModel): Map<string, SubtreeGroup> {
  const groups = new Map<string, SubtreeGroup>();
  root.eachAfter((d) => {
    const answer = model.node(d.data)?.answer;
    let group: SubtreeGroup = answer ? answer.normalized : undefined;
    for (const child of d.children ?? []) {
      const g = groups.get(child.data);
      if (g === undefined) continue;
      group = group === undefined || group === g ? g : MIXED;
    }
    groups.set(d.data, group);
  });
  return groups;
}

/** Sets a geometry attribute, gliding only the elements that actually move: a live run re-renders
 * every batch, and transitions on a thousand unmoved nodes would make it lag. */
function moveTo<E extends SVGElement, D>(sel: Selection<E, D, SVGGElement, unknown>, attr: string, value: (d: D) => string | null, animate: boolean): void {
  const moved = sel.filter(function (d) {
    return this.getAttribute(attr) !== value(d);
  });
  if (animate) moved.transition().duration(MOVE_MS).attr(attr, value);
  else moved.attr(attr, value);
}

/** Pruned nodes and everything below them: a branch the search gave up on. */
function prunedBranches(root: Point, model: RunModel): Set<string> {
  const pruned = new Set<string>();
  root.each((d) => {
    if (model.node(d.data)?.status === 'pruned' || (d.parent && pruned.has(d.parent.data))) pruned.add(d.data);
  });
  return pruned;
}

function nodeLabel(node: TreeNode): string {
  if (node.kind === 'root') return '';
  if (node.kind === 'answer') return node.answer?.correct === undefined ? '' : node.answer.correct ? '✓' : '✗';
  return String(node.depth);
}

export class TreeView {
  private readonly svg: Selection<SVGSVGElement, unknown, null, undefined>;
  private readonly canvas: Selection<SVGGElement, unknown, null, undefined>;
  private readonly linkLayer: Selection<SVGGElement, unknown, null, undefined>;
  private readonly nodeLayer: Selection<SVGGElement, unknown, null, undefined>;
  private readonly zoomer: ZoomBehavior<SVGSVGElement, unknown>;
  private layout: Point | undefined;
  private points = new Map<string, Point>();
  private model: RunModel | undefined;
  /** The node that takes keyboard focus (roving tabindex: one tab stop for the whole tree). */
  private focusId: string | undefined;
  /** The node whose text the cursor is in, in a chain document of the run. */
  private cursorId: string | undefined;
  /** Until the user zooms or pans, the view keeps fitting the tree as it grows. */
  private following = true;
  private userMoved = false;

  constructor(svgEl: SVGSVGElement, private readonly tooltip: HTMLElement, private readonly events: TreeViewEvents) {
    this.svg = select(svgEl);
    this.canvas = this.svg.append('g').attr('class', 'canvas');
    this.linkLayer = this.canvas.append('g').attr('class', 'links');
    this.nodeLayer = this.canvas.append('g').attr('class', 'nodes');
    this.zoomer = zoom<SVGSVGElement, unknown>()
      .scaleExtent([0.05, 4])
      .on('zoom', (e: D3ZoomEvent<SVGSVGElement, unknown>) => {
        this.canvas.attr('transform', e.transform.toString());
        this.svg.classed('zoomed-out', e.transform.k < LABEL_MIN_SCALE);
        if (e.sourceEvent) {
          this.following = false;
          this.userMoved = true;
          this.hideTooltip();
        }
      })
      .on('end', (e: D3ZoomEvent<SVGSVGElement, unknown>) => {
        // A click is a zoom gesture too (mousedown/mouseup); only report gestures that moved the view.
        if (!this.userMoved) return;
        this.userMoved = false;
        this.events.userTransform({ k: e.transform.k, x: e.transform.x, y: e.transform.y });
      });
    this.svg.call(this.zoomer).on('dblclick.zoom', null);
    this.nodeLayer.on('keydown', (e: KeyboardEvent) => this.onKey(e));
    new ResizeObserver(() => {
      if (this.following) this.fit(false);
    }).observe(svgEl);
  }

  get transform(): ViewTransform {
    const t = zoomTransform(this.svg.node() as SVGSVGElement);
    return { k: t.k, x: t.x, y: t.y };
  }

  /** Restores a transform the user had chosen; the view stops following the tree's growth. */
  restoreTransform(t: ViewTransform): void {
    this.following = false;
    this.svg.call(this.zoomer.transform, zoomIdentity.translate(t.x, t.y).scale(t.k));
  }

  clear(): void {
    this.model = undefined;
    this.layout = undefined;
    this.points.clear();
    this.focusId = undefined;
    this.cursorId = undefined;
    this.linkLayer.selectAll('*').remove();
    this.nodeLayer.selectAll('*').remove();
    this.hideTooltip();
    this.following = true;
  }

  /** Draws the model. `grew`: the same run gained events, so new nodes animate and the view holds still. */
  render(model: RunModel, selectedId: string | undefined, grew: boolean): void {
    this.model = model;
    const rootId = model.tree.rootId;
    if (rootId === undefined) return;
    const root = tidyTree<string>()
      .nodeSize([ROW, COL])
      .separation((a, b) => (a.parent === b.parent ? 1 : 1.25))(hierarchy(rootId, (id) => model.childOrder.get(id)));
    // d3 centres the tree on its root; anchor it at the top instead, so chains added at the bottom
    // of a live run leave the ones above where the user is looking.
    const top = Math.min(...root.descendants().map((d) => d.x));
    root.each((d) => {
      d.x -= top;
    });
    this.layout = root;
    this.points = new Map(root.descendants().map((d) => [d.data, d]));
    if (this.focusId === undefined || !this.points.has(this.focusId)) this.focusId = selectedId ?? rootId;

    const animate = grew && !reducedMotion();
    const groups = subtreeGroups(root, model);
    const colorOf = (id: string) => {
      const g = groups.get(id);
      return g === undefined || g === MIXED ? null : model.colors.colorOf(g);
    };
    const pruned = prunedBranches(root, model);
    const radius = model.maxVisits > 0 ? visitRadius(model.maxVisits) : undefined;
    const onPath = new Set(selectedId ? pathTo(model.tree, selectedId).map((n) => n.id) : []);
    const chosen = new Set<string>();
    for (const node of model.tree.nodes.values()) {
      if (node.selected) for (const n of pathTo(model.tree, node.id)) chosen.add(n.id);
    }

    const links = this.linkLayer
      .selectAll<SVGPathElement, Link>('path.link')
      .data(root.links(), (d) => d.target.data)
      .join((enter) => enter.append('path').attr('class', 'link').classed('entering', animate));
    links
      .classed('on-path', (d) => onPath.has(d.target.data))
      .classed('chosen', (d) => chosen.has(d.target.data))
      .classed('pruned', (d) => pruned.has(d.target.data))
      .style('--group-color', (d) => colorOf(d.target.data));
    moveTo(links, 'd', linkPath, animate);

    const nodes = this.nodeLayer
      .selectAll<SVGGElement, Point>('g.node')
      .data(root.descendants(), (d) => d.data)
      .join((enter) => {
        // A node's kind never changes; its status does (see the update below).
        const g = enter.append('g').attr('role', 'treeitem')
          .attr('class', (d) => `node kind-${model.node(d.data)?.kind ?? 'step'}`)
          .classed('entering', animate)
          .attr('transform', (d) => `translate(${d.y},${d.x})`);
        g.append('circle');
        g.append('text').attr('class', 'node-label').attr('dy', '0.35em');
        g.filter((d) => d.depth === 0).append('text').attr('class', 'root-label').attr('dy', '0.35em')
          .attr('x', -(RADIUS.root + 5)).text('problem');
        g.on('click', (e: MouseEvent, d) => {
          e.stopPropagation();
          this.hideTooltip();
          this.events.select(d.data);
        });
        g.on('mouseenter focus', (_e: Event, d) => this.showTooltip(d.data));
        g.on('mouseleave blur', () => this.hideTooltip());
        g.on('animationend', (e: AnimationEvent) => (e.currentTarget as SVGGElement).classList.remove('entering'));
        return g;
      });
    nodes.each((d, i, els) => {
      const node = model.node(d.data);
      if (!node) return;
      const g = select(els[i]);
      const score = nodeScore(node, model.score);
      const position = score === undefined || !model.score ? undefined : scorePosition(score, model.score);
      for (const status of STATUSES) g.classed(`status-${status}`, node.status === status);
      g.classed('pruned-branch', pruned.has(d.data))
        .classed('scored', position !== undefined)
        .classed('score-strong', position !== undefined && position >= STRONG_POSITION)
        .style('--score-color', () => (position === undefined ? null : scoreColor(position)))
        .attr('data-visits', () => (node.visits === undefined ? null : String(node.visits)));
      g.classed('no-answer', node.answer?.normalized === null)
        .classed('label-error', isErrorLabel(node.label))
        .classed('label-correct', node.label?.label === 'correct')
        .classed('label-unjudged', node.label?.label === 'after-error')
        .classed('selected', d.data === selectedId)
        .classed('doc-cursor', d.data === this.cursorId)
        .classed('on-path', onPath.has(d.data))
        .classed('chosen', node.selected)
        .attr('data-id', d.data)
        .attr('tabindex', d.data === this.focusId ? 0 : -1)
        .attr('aria-level', node.depth + 1)
        .attr('aria-selected', String(d.data === selectedId))
        .attr('aria-label', `${nodeTitle(node)}${node.label ? ` (${labelText(node.label)})` : ''}: ${snippet(node.text)}`)
        .style('--group-color', () => colorOf(d.data));
      const r = radius && node.kind !== 'root' ? radius(node.visits) : RADIUS[node.kind];
      g.select('circle').attr('r', r);
      // A step number does not fit in a node drawn small for few visits.
      g.select('text.node-label').text(r >= MIN_LABEL_RADIUS ? nodeLabel(node) : '');
    });
    moveTo(nodes, 'transform', (d) => `translate(${d.y},${d.x})`, animate);

    if (this.following) this.fit(animate);
  }

  /** Scales the whole tree into the panel (centred across, hanging from the top) and resumes
   * following its growth. */
  fit(animate: boolean): void {
    this.following = true;
    const svgEl = this.svg.node() as SVGSVGElement;
    const width = svgEl.clientWidth;
    const height = svgEl.clientHeight;
    if (!this.layout || width === 0 || height === 0) return;
    const points = this.layout.descendants();
    // Layout bounds, with room for node radii and the root's label on the left.
    const x0 = Math.min(...points.map((d) => d.y)) - ROOT_LABEL_WIDTH;
    const x1 = Math.max(...points.map((d) => d.y)) + 2 * RADIUS.answer;
    const y0 = Math.min(...points.map((d) => d.x)) - 2 * RADIUS.answer;
    const y1 = Math.max(...points.map((d) => d.x)) + 2 * RADIUS.answer;
    // Screen margins: the Fit button sits top right; the tree hangs from the top, like a list.
    // Many chains fit by height. A long chain (hundreds of thinking steps) would shrink to a hairline
    // to fit its length: its depth gets a readable floor instead, starting at the root, and the user
    // pans along it.
    const byDepth = Math.max(MIN_FIT_SCALE, (width - 2 * MARGIN) / (x1 - x0));
    const k = Math.min(byDepth, (height - TOOLBAR_HEIGHT - MARGIN) / (y1 - y0), MAX_FIT_SCALE);
    const spare = width - k * (x1 - x0);
    const t = zoomIdentity.translate((spare > 0 ? spare / 2 : MARGIN) - k * x0, TOOLBAR_HEIGHT - k * y0).scale(k);
    if (animate && !reducedMotion()) this.svg.transition().duration(MOVE_MS).call(this.zoomer.transform, t);
    else this.svg.call(this.zoomer.transform, t);
  }

  /** Moves keyboard focus to a node, panning it into view if needed. */
  focusNode(id: string): void {
    const point = this.points.get(id);
    if (!point) return;
    this.focusId = id;
    this.nodeLayer.selectAll<SVGGElement, Point>('g.node').attr('tabindex', (d) => (d.data === id ? 0 : -1));
    const el = this.nodeLayer.select<SVGGElement>(`g.node[data-id="${CSS.escape(id)}"]`).node();
    el?.focus({ preventScroll: true });
    this.panTo(point);
  }

  /** Marks the node the cursor of a chain document is in and pans it into view, leaving keyboard
   * focus where it is (the user is typing in the editor). */
  highlight(id: string | undefined): void {
    this.cursorId = id;
    this.nodeLayer.selectAll<SVGGElement, Point>('g.node').classed('doc-cursor', (d) => d.data === id);
    const point = id === undefined ? undefined : this.points.get(id);
    if (point) this.panTo(point);
  }

  /** Centres the view on a point that is off screen. */
  private panTo(point: Point): void {
    const t = this.transform;
    const svgEl = this.svg.node() as SVGSVGElement;
    const sx = t.x + t.k * point.y;
    const sy = t.y + t.k * point.x;
    if (sx < 0 || sy < 0 || sx > svgEl.clientWidth || sy > svgEl.clientHeight) {
      this.following = false;
      this.svg.call(this.zoomer.translateTo, point.y, point.x);
    }
  }

  private onKey(e: KeyboardEvent): void {
    const id = (e.target as Element).closest('g.node')?.getAttribute('data-id');
    const point = id ? this.points.get(id) : undefined;
    if (!id || !point) return;
    const siblings = point.parent?.children ?? [point];
    const index = siblings.indexOf(point);
    const next: Record<string, Point | undefined> = {
      ArrowLeft: point.parent ?? undefined,
      ArrowRight: point.children?.[0],
      ArrowUp: siblings[index - 1],
      ArrowDown: siblings[index + 1],
    };
    if (e.key === 'Enter' || e.key === ' ') this.events.select(id);
    else if (e.key in next) {
      const target = next[e.key];
      if (target) this.focusNode(target.data);
    } else return;
    e.preventDefault();
  }

  private showTooltip(id: string): void {
    const model = this.model;
    const node = model?.node(id);
    const el = this.nodeLayer.select<SVGGElement>(`g.node[data-id="${CSS.escape(id)}"]`).node();
    const area = this.tooltip.parentElement;
    if (!model || !node || !el || !area) return;
    const title = node.label ? `${nodeTitle(node)} · ${labelText(node.label)}` : nodeTitle(node);
    const facts = glanceFacts(model, node);
    this.tooltip.replaceChildren(
      h('div', { class: 'tooltip-title' }, title),
      h('div', { html: node.kind === 'answer' ? texToHtml(node.text) : mathSnippetToHtml(node.text) }),
      ...facts.map((fact) => h('div', { class: 'tooltip-fact' }, fact)),
    );
    this.tooltip.hidden = false;
    const box = el.getBoundingClientRect();
    const frame = area.getBoundingClientRect();
    const maxLeft = frame.width - this.tooltip.offsetWidth - 4;
    this.tooltip.style.left = `${Math.max(4, Math.min(box.left - frame.left, maxLeft))}px`;
    const below = box.bottom - frame.top + 6;
    const fitsBelow = below + this.tooltip.offsetHeight < frame.height;
    this.tooltip.style.top = `${fitsBelow ? below : box.top - frame.top - this.tooltip.offsetHeight - 6}px`;
  }

  private hideTooltip(): void {
    this.tooltip.hidden = true;
  }
}
