import type { ReplayFormat } from '../../replay/formats';
import { decodeFile, firstLine, jsonKeys } from '../windows/replay';
import { EsloggerDecoder } from './eslogger-decoder';

/** The `eslogger` replay format: `eslogger` JSON lines, detected by their message keys. */
export const esloggerFormat: ReplayFormat = {
  name: 'eslogger',
  description: 'macOS eslogger JSON lines (eslogger exit signal)',
  detect: (head) => {
    const keys = jsonKeys(firstLine(head));
    return keys.includes('event_type') || keys.includes('global_seq_num');
  },
  read: (input, options) => decodeFile(input, new EsloggerDecoder(options), options, 'eslogger'),
};
