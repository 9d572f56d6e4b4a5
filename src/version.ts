/** The extension's version, reported to osqueryd at registration and by --version. */
export const VERSION = '0.1.0';

/** The osquery SDK version this extension was written against (osquery 5.x protocol). */
export const SDK_VERSION = '5.12.1';

/** The extension's name in osquery_extensions and for --extensions_require. */
export const EXTENSION_NAME = 'process_terminations';
