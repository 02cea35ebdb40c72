/** Draws the annotations on chain documents: decoration types in theme colours (contributed with
 * light, dark and high-contrast defaults), and the hover, inlay-hint and CodeLens providers. What to
 * draw comes from the pure modules; here offsets become ranges. A document's decorations are
 * computed once per chain (and heat setting) and reused whenever its editor is shown again. */
import * as vscode from 'vscode';
import { CHAIN_SCHEME, type ChainDoc, type ChainDocuments } from '../chainDocuments';
import { LEVELS, planDecorations, type DecorationPlan, type EffectGroup, type Span } from './decorations';
import { hoverAt } from './hovers';
import { inlayHints } from './inlayHints';
import { stepLenses, type StepAction } from './lenses';

export const HEAT_SETTING = 'reasonscope.tokenConfidenceHeat';

/** The command each CodeLens action runs, with the document's URI and the step's node id. */
export const STEP_COMMANDS: Record<StepAction, string> = {
  branch: 'reasonscope.branchHere',
  resample: 'reasonscope.resampleFromHere',
  wait: 'reasonscope.injectWaitHere',
  critical: 'reasonscope.findCriticalTokensInStep',
};

const BORDER_STYLES = ['dotted', 'dashed', 'solid'];
const EFFECTS: EffectGroup[] = ['fixed', 'broke', 'other'];

interface DecorationTypes {
  uncertain: vscode.TextEditorDecorationType[];
  harmful: vscode.TextEditorDecorationType[];
  helpful: vscode.TextEditorDecorationType[];
  selfCorrections: Record<EffectGroup, vscode.TextEditorDecorationType>;
}

function decorationTypes(extensionUri: vscode.Uri): DecorationTypes {
  const color = (id: string) => new vscode.ThemeColor(`reasonscope.${id}`);
  const levels = (make: (level: number) => vscode.DecorationRenderOptions) => Array.from({ length: LEVELS }, (_, i) => vscode.window.createTextEditorDecorationType(make(i + 1)));
  // The heat is a background only; high-contrast themes, where tints wash out, get its border.
  const uncertain = levels((level) => ({
    backgroundColor: color(`uncertainToken${level}Background`),
    borderColor: color('uncertainTokenBorder'), borderStyle: `none none ${BORDER_STYLES[level - 1]} none`, borderWidth: '0 0 1px 0',
  }));
  // Critical tokens: a stronger tint and an underline that thickens with |criticality|, and a mark
  // in the overview ruler so the decisive tokens of a long chain can be found by scrolling.
  const critical = (sign: 'Harmful' | 'Helpful') => levels((level) => ({
    backgroundColor: color(`criticalToken${sign}${level}Background`),
    borderColor: color(`criticalToken${sign}Border`), borderStyle: `none none ${BORDER_STYLES[level - 1]} none`, borderWidth: `0 0 ${level === 3 ? 2 : 1}px 0`,
    overviewRulerColor: color(`criticalToken${sign}Border`), overviewRulerLane: vscode.OverviewRulerLane.Right,
  }));
  const icon = (effect: EffectGroup, theme: 'light' | 'dark') => vscode.Uri.joinPath(extensionUri, 'media', 'icons', `self-correction-${effect}-${theme}.svg`);
  const selfCorrections = Object.fromEntries(EFFECTS.map((effect) => {
    const mark = color(`selfCorrection${effect[0].toUpperCase()}${effect.slice(1)}`);
    return [effect, vscode.window.createTextEditorDecorationType({
      backgroundColor: color('selfCorrectionBackground'),
      borderColor: mark, borderStyle: 'none none solid none', borderWidth: '0 0 2px 0',
      overviewRulerColor: mark, overviewRulerLane: vscode.OverviewRulerLane.Left,
      light: { gutterIconPath: icon(effect, 'light'), gutterIconSize: '80%' },
      dark: { gutterIconPath: icon(effect, 'dark'), gutterIconSize: '80%' },
    })];
  })) as Record<EffectGroup, vscode.TextEditorDecorationType>;
  return { uncertain, harmful: critical('Harmful'), helpful: critical('Helpful'), selfCorrections };
}

export class ChainAnnotator implements vscode.Disposable {
  private readonly types: DecorationTypes;
  /** The last plan per document, valid while its chain object and the heat setting are the same. */
  private readonly plans = new Map<string, { chain: ChainDoc['chain']; heat: boolean; plan: DecorationPlan }>();
  private readonly hintsChanged = new vscode.EventEmitter<void>();
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.hintsChanged, this.lensesChanged];

  constructor(extensionUri: vscode.Uri, private readonly chains: ChainDocuments) {
    this.types = decorationTypes(extensionUri);
    const selector: vscode.DocumentSelector = { scheme: CHAIN_SCHEME };
    this.disposables.push(
      ...this.allTypes(),
      vscode.languages.registerHoverProvider(selector, { provideHover: (doc, pos) => this.hover(doc, pos) }),
      vscode.languages.registerInlayHintsProvider(selector, { provideInlayHints: (doc) => this.hints(doc), onDidChangeInlayHints: this.hintsChanged.event }),
      vscode.languages.registerCodeLensProvider(selector, { provideCodeLenses: (doc) => this.lenses(doc), onDidChangeCodeLenses: this.lensesChanged.event }),
      vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => this.decorate(e))),
      vscode.workspace.onDidChangeTextDocument((e) => this.redraw(e.document.uri)),
      chains.onDidChangeChain((doc) => {
        this.redraw(doc.uri);
        this.hintsChanged.fire();
        this.lensesChanged.fire();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(HEAT_SETTING)) vscode.window.visibleTextEditors.forEach((ed) => this.decorate(ed));
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => this.plans.delete(doc.uri.toString())),
    );
    vscode.window.visibleTextEditors.forEach((e) => this.decorate(e));
  }

  /** Draws on every visible editor of the document. */
  redraw(uri: vscode.Uri): void {
    for (const editor of vscode.window.visibleTextEditors) if (editor.document.uri.toString() === uri.toString()) this.decorate(editor);
  }

  private decorate(editor: vscode.TextEditor): void {
    const doc = this.chains.get(editor.document.uri);
    if (!doc) return;
    const plan = this.plan(doc);
    const document = editor.document;
    const ranges = (spans: Span[]) => spans.map((s) => new vscode.Range(document.positionAt(s.start), document.positionAt(s.end)));
    for (let i = 0; i < LEVELS; i++) {
      editor.setDecorations(this.types.uncertain[i], ranges(plan.uncertain[i]));
      editor.setDecorations(this.types.harmful[i], ranges(plan.harmful[i]));
      editor.setDecorations(this.types.helpful[i], ranges(plan.helpful[i]));
    }
    for (const effect of EFFECTS) editor.setDecorations(this.types.selfCorrections[effect], ranges(plan.selfCorrections[effect]));
  }

  private plan(doc: ChainDoc): DecorationPlan {
    const heat = vscode.workspace.getConfiguration().get<boolean>(HEAT_SETTING) === true;
    const key = doc.uri.toString();
    const cached = this.plans.get(key);
    if (cached?.chain === doc.chain && cached.heat === heat) return cached.plan;
    const plan = planDecorations(doc.chain, { heat });
    this.plans.set(key, { chain: doc.chain, heat, plan });
    return plan;
  }

  private hover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const doc = this.chains.get(document.uri);
    const found = doc && hoverAt(doc.chain, document.offsetAt(position));
    if (!found) return undefined;
    return new vscode.Hover(new vscode.MarkdownString(found.markdown), new vscode.Range(document.positionAt(found.start), document.positionAt(found.end)));
  }

  private hints(document: vscode.TextDocument): vscode.InlayHint[] {
    const doc = this.chains.get(document.uri);
    if (!doc) return [];
    return inlayHints(doc.chain).map((plan) => {
      const hint = new vscode.InlayHint(document.positionAt(plan.offset), plan.label);
      hint.paddingLeft = true;
      hint.tooltip = new vscode.MarkdownString(plan.tooltip);
      return hint;
    });
  }

  private lenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const doc = this.chains.get(document.uri);
    if (!doc) return [];
    const continuable = doc.run.file !== undefined && !doc.run.header.importedFrom;
    return stepLenses(doc.chain, continuable).map((lens) => {
      const at = document.positionAt(lens.offset);
      return new vscode.CodeLens(new vscode.Range(at, at), { title: lens.title, tooltip: lens.tooltip, command: STEP_COMMANDS[lens.action], arguments: [document.uri.toString(), lens.nodeId] });
    });
  }

  private allTypes(): vscode.TextEditorDecorationType[] {
    const t = this.types;
    return [...t.uncertain, ...t.harmful, ...t.helpful, ...Object.values(t.selfCorrections)];
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
