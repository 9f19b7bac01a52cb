/**
 * Read-only report documents (the cleaning preview, a record found by Find Similar): Markdown shown in an editor tab from a
 * virtual `embeddinglab-report:` URI, so closing it asks nothing (an untitled document
 * would be "dirty" and ask to be saved).
 */
import * as vscode from 'vscode';

export const REPORT_SCHEME = 'embeddinglab-report';

export class ReportDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, this);

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.path) ?? '';
  }

  /** Shows `markdown` in a preview tab titled `title` (a later report with the same title replaces it), in `options.column` if given. */
  async show(title: string, markdown: string, options: { column?: vscode.ViewColumn; preserveFocus?: boolean } = {}): Promise<void> {
    const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${title.replace(/[\\/]/g, '-')}.md` });
    this.texts.set(uri.path, markdown);
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: true, preserveFocus: options.preserveFocus ?? false, ...(options.column !== undefined ? { viewColumn: options.column } : {}) });
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
