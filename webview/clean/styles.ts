/**
 * The Clean Data panel's styles, adopted as a constructed stylesheet (CSSOM, allowed by the
 * panel CSP like vscode-elements' own styles), so the shared media/webview.css stays as is.
 * Only --vscode-* theme colours: dark, light and high-contrast themes all work.
 */
const CSS = `
.app-clean { gap: 6px; }
.app-clean [hidden] { display: none !important; }
.clean-header { position: sticky; top: 0; z-index: 2; padding: 6px 0; background: var(--vscode-editor-background); border-bottom: 1px solid var(--vscode-panel-border, var(--vscode-widget-border, transparent)); flex-wrap: nowrap; }
.clean-title { font-size: 1.15em; font-weight: 600; margin: 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; min-width: 0; }
.clean-status { flex: 0 1 auto; min-width: 0; overflow: hidden; text-overflow: ellipsis; }
.spacer { flex: 1 1 auto; }
.app-clean .button {
  font: inherit; padding: 4px 12px; border-radius: 2px; cursor: pointer;
  background: var(--vscode-button-background); color: var(--vscode-button-foreground);
  border: 1px solid var(--vscode-button-border, var(--vscode-contrastBorder, transparent));
}
.app-clean .button:hover:not(:disabled) { background: var(--vscode-button-hoverBackground); }
.app-clean .button.secondary { background: var(--vscode-button-secondaryBackground); color: var(--vscode-button-secondaryForeground); }
.app-clean .button.secondary:hover:not(:disabled) { background: var(--vscode-button-secondaryHoverBackground); }
.app-clean .button:disabled { opacity: 0.5; cursor: default; }
.app-clean .button:focus-visible, .app-clean input:focus-visible, .app-clean select:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 1px; }
.vscode-high-contrast .app-clean .button { background: transparent; color: var(--vscode-foreground); border-color: var(--vscode-contrastBorder, var(--vscode-foreground)); }
#apply { flex: 0 0 auto; font-weight: 600; }
.clean-result { padding: 6px 10px; border-left: 3px solid var(--vscode-progressBar-background, var(--vscode-focusBorder)); background: var(--vscode-editorWidget-background); overflow-wrap: anywhere; }
.clean-body { display: grid; grid-template-columns: minmax(300px, 400px) minmax(0, 1fr); gap: 14px; align-items: start; }
@media (max-width: 800px) { .clean-body { grid-template-columns: minmax(0, 1fr); } }
.rules { display: flex; flex-direction: column; gap: 6px; }
.rule { padding: 6px 8px; border: 1px solid var(--vscode-widget-border, var(--vscode-panel-border, transparent)); border-radius: 3px; background: var(--vscode-editorWidget-background); }
.rule.off .rule-label, .rule.off .rule-desc { color: var(--vscode-descriptionForeground); }
.rule-head { display: flex; align-items: center; gap: 6px; }
.rule-label { font-weight: 600; flex: 1 1 auto; min-width: 0; }
.count { font-variant-numeric: tabular-nums; white-space: nowrap; color: var(--vscode-foreground); }
.rule.off .count { color: var(--vscode-descriptionForeground); font-style: italic; }
.rule-desc { font-size: 0.9em; margin: 2px 0 0 22px; color: var(--vscode-descriptionForeground); overflow-wrap: anywhere; }
.rule-options { margin: 4px 0 0 22px; display: flex; flex-direction: column; gap: 4px; }
.rule-options:empty { display: none; }
.option { display: flex; align-items: center; gap: 4px; }
.app-clean input.number { width: 6em; }
.app-clean input.text, .app-clean input.number, .app-clean .select {
  font: inherit; padding: 2px 4px; color: var(--vscode-input-foreground); background: var(--vscode-input-background);
  border: 1px solid var(--vscode-input-border, var(--vscode-contrastBorder, transparent)); border-radius: 2px;
}
.app-clean input.text { flex: 1 1 160px; min-width: 0; font-family: var(--vscode-editor-font-family); }
.app-clean input[aria-invalid="true"] { border-color: var(--vscode-errorForeground); }
.pattern-editor { display: flex; flex-direction: column; gap: 4px; }
.patterns { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px; }
.pattern { display: inline-flex; align-items: center; gap: 2px; padding: 0 2px 0 6px; border-radius: 10px; background: var(--vscode-badge-background, var(--vscode-button-secondaryBackground)); color: var(--vscode-badge-foreground, var(--vscode-button-secondaryForeground)); border: 1px solid var(--vscode-contrastBorder, transparent); }
.pattern code { font-family: var(--vscode-editor-font-family); overflow-wrap: anywhere; }
.icon-button { background: none; border: 0; cursor: pointer; padding: 0 4px; color: inherit; }
.app-clean .message.error:empty { display: none; }
.examples-pane { display: flex; flex-direction: column; gap: 8px; min-width: 0; }
.examples-pane .toolbar { position: sticky; top: var(--clean-header-height, 42px); z-index: 1; padding: 4px 0; background: var(--vscode-editor-background); flex-wrap: nowrap; }
.examples-pane .toolbar .select { flex: 0 1 auto; min-width: 5em; }
.examples-pane .toolbar .field-label, .examples-pane .toolbar .button, #page { white-space: nowrap; flex: 0 0 auto; }
.examples { scroll-margin-top: calc(var(--clean-header-height, 42px) + var(--clean-bar-height, 40px)); }
.examples { display: flex; flex-direction: column; gap: 8px; }
.example { border: 1px solid var(--vscode-widget-border, var(--vscode-panel-border, transparent)); border-radius: 3px; padding: 6px 10px; }
.example-head { display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; margin-bottom: 2px; }
.badge { font-size: 0.85em; padding: 0 6px; border-radius: 8px; background: var(--vscode-button-secondaryBackground); color: var(--vscode-button-secondaryForeground); border: 1px solid var(--vscode-contrastBorder, transparent); }
.side-label { font-size: 0.8em; text-transform: uppercase; letter-spacing: 0.04em; color: var(--vscode-descriptionForeground); margin-top: 4px; }
.example .text { white-space: pre-wrap; overflow-wrap: anywhere; line-height: 1.45; }
.example del.removed {
  text-decoration: line-through; text-decoration-thickness: 1px;
  background: var(--vscode-diffEditor-removedTextBackground, rgba(255, 0, 0, 0.25));
  outline: 1px dashed var(--vscode-diffEditor-removedTextBorder, transparent);
}
.example ins.inserted {
  text-decoration: none;
  background: var(--vscode-diffEditor-insertedTextBackground, rgba(0, 160, 0, 0.25));
  outline: 1px dashed var(--vscode-diffEditor-insertedTextBorder, transparent);
}
.vscode-high-contrast .example del.removed { outline: 1px solid var(--vscode-contrastActiveBorder, var(--vscode-focusBorder)); }
.vscode-high-contrast .example ins.inserted { outline: 1px solid var(--vscode-contrastBorder, var(--vscode-foreground)); }
.example .gap { color: var(--vscode-descriptionForeground); padding: 0 2px; }
.example .removed-record { font-style: italic; color: var(--vscode-errorForeground); }
.empty { color: var(--vscode-descriptionForeground); }
`;

export function adoptStyles(): void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(CSS);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}
