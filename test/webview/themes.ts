/** The theme variables VS Code injects into webviews, with the values of its Dark Modern and
 * Light Modern themes (font variables as on Linux), for the variables the tree view uses. */

export interface Theme {
  /** The class VS Code puts on <body>. */
  kind: 'vscode-dark' | 'vscode-light';
  /** `--vscode-*` variables, without the prefix. */
  vars: Record<string, string>;
}

const fonts = {
  'font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
  'font-size': '13px',
  'font-weight': 'normal',
  'editor-font-family': '"Droid Sans Mono", "monospace", monospace',
};

export const DARK_MODERN: Theme = {
  kind: 'vscode-dark',
  vars: {
    ...fonts,
    'editor-background': '#1f1f1f',
    'sideBar-background': '#181818',
    foreground: '#cccccc',
    descriptionForeground: '#9d9d9d',
    disabledForeground: '#cccccc80',
    'panel-border': '#2b2b2b',
    'widget-border': '#313131',
    focusBorder: '#0078d4',
    errorForeground: '#f85149',
    'editorWarning-foreground': '#cca700',
    'testing-iconPassed': '#73c991',
    'testing-iconFailed': '#f14c4c',
    'charts-red': '#f14c4c',
    'charts-blue': '#3794ff',
    'charts-yellow': '#cca700',
    'charts-orange': '#d18616',
    'charts-green': '#89d185',
    'charts-purple': '#b180d7',
    'badge-background': '#616161',
    'badge-foreground': '#f8f8f8',
    'button-background': '#0078d4',
    'button-foreground': '#ffffff',
    'button-hoverBackground': '#026ec1',
    'button-border': '#ffffff12',
    'button-secondaryBackground': '#313131',
    'button-secondaryForeground': '#cccccc',
    'button-secondaryHoverBackground': '#3c3c3c',
    'editorHoverWidget-background': '#202020',
    'editorHoverWidget-border': '#454545',
    'editorHoverWidget-foreground': '#cccccc',
    'widget-shadow': '#0000005c',
    'inputValidation-errorBackground': '#5a1d1d',
    'inputValidation-errorBorder': '#be1100',
    'toolbar-hoverBackground': '#5a5d5e50',
  },
};

export const LIGHT_MODERN: Theme = {
  kind: 'vscode-light',
  vars: {
    ...fonts,
    'editor-background': '#ffffff',
    'sideBar-background': '#f8f8f8',
    foreground: '#3b3b3b',
    descriptionForeground: '#3b3b3b',
    disabledForeground: '#61616180',
    'panel-border': '#e5e5e5',
    'widget-border': '#e5e5e5',
    focusBorder: '#005fb8',
    errorForeground: '#f85149',
    'editorWarning-foreground': '#bf8803',
    'testing-iconPassed': '#388a34',
    'testing-iconFailed': '#f14c4c',
    'charts-red': '#e51400',
    'charts-blue': '#1a85ff',
    'charts-yellow': '#bf8803',
    'charts-orange': '#d18616',
    'charts-green': '#388a34',
    'charts-purple': '#652d90',
    'badge-background': '#cccccc',
    'badge-foreground': '#3b3b3b',
    'button-background': '#005fb8',
    'button-foreground': '#ffffff',
    'button-hoverBackground': '#0258a8',
    'button-border': '#0000001a',
    'button-secondaryBackground': '#e5e5e5',
    'button-secondaryForeground': '#3b3b3b',
    'button-secondaryHoverBackground': '#cccccc',
    'editorHoverWidget-background': '#f8f8f8',
    'editorHoverWidget-border': '#c8c8c8',
    'editorHoverWidget-foreground': '#3b3b3b',
    'widget-shadow': '#00000029',
    'inputValidation-errorBackground': '#f2dede',
    'inputValidation-errorBorder': '#be1100',
    'toolbar-hoverBackground': '#b8b8b850',
  },
};
