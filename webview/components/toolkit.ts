/**
 * The only file (with its siblings in this folder) that knows about @vscode/webview-ui-toolkit.
 * The toolkit is no longer developed upstream; replacing it means rewriting this folder, not the panel.
 */
import {
  provideVSCodeDesignSystem,
  vsCodeBadge,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDropdown,
  vsCodeOption,
  vsCodePanels,
  vsCodePanelTab,
  vsCodePanelView,
  vsCodeProgressRing,
  vsCodeTextArea,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';

let registered = false;

/** Defines the custom elements the panel uses (once; only these, so the rest is tree-shaken away). */
export function registerComponents(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(
    vsCodeBadge(),
    vsCodeButton(),
    vsCodeCheckbox(),
    vsCodeDropdown(),
    vsCodeOption(),
    vsCodePanels(),
    vsCodePanelTab(),
    vsCodePanelView(),
    vsCodeProgressRing(),
    vsCodeTextArea(),
    vsCodeTextField(),
  );
}

/** True when an event comes from a text input or a dropdown (inside a component's shadow root too). */
export function fromFormControl(event: Event): boolean {
  for (const target of event.composedPath()) {
    if (!(target instanceof HTMLElement)) continue;
    const tag = target.tagName;
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable) return true;
    if (tag === 'VSCODE-TEXT-FIELD' || tag === 'VSCODE-TEXT-AREA' || tag === 'VSCODE-DROPDOWN') return true;
  }
  return false;
}
