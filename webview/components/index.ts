export { registerComponents, fromFormControl } from './toolkit';
export { button, type Button } from './button';
export { dropdown, type Dropdown, type Choice } from './dropdown';
export { textField, textArea, type TextField, type TextArea } from './text-field';
export { checkbox, type Checkbox } from './checkbox';
export { badge, type Badge } from './badge';
export { tabs, type Tabs, type Tab } from './panels';
export { progressRing, type ProgressRing } from './progress-ring';
