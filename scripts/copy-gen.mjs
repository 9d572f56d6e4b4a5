// Copies the generated Thrift bindings next to the compiled code, where build/src requires them.
import { cpSync } from 'node:fs';

cpSync('extension/gen', 'build/extension/gen', { recursive: true });
