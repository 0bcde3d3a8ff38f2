// Every fuzz family, in the order the runners run them.
import type { Family } from './harness';
import { cliFamily } from './cli-process';
import { configFamily } from './config-files';
import { httpFamily } from './http-requests';
import { logsFamily } from './log-bytes';
import { rendererFamily } from './renderer-text';
import { sseFamily } from './sse-resume';
import { wsFamily } from './ws-messages';

export const FAMILIES: readonly Family[] = [wsFamily, httpFamily, sseFamily, logsFamily, configFamily, rendererFamily, cliFamily];
