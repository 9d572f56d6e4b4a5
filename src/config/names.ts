/** Event sources the extension can follow. `auto` picks the best one the host offers. */
export const SOURCE_NAMES = ['auto', 'audit_log', 'audisp', 'ebpf', 'windows', 'eslogger'] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

/** Input formats `replay` and `--replay` understand; `auto` decides by content. */
export const FORMAT_NAMES = ['auto', 'audit', 'windows_xml', 'windows_json', 'eslogger'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];
